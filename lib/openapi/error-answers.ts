// The one error format of every API answer (lib/http/respond.ts), as zod schemas per status: each
// 4xx/5xx an operation documents points at the schema of its code, so a 404 is known to carry
// `not_found` and a 400 the failing fields.
import { z } from 'zod';
import type { ErrorCode } from '@/lib/errors';
import { statusByCode } from '@/lib/http/respond';

/** `internal` is the generic 500 that errorResponse gives for anything it does not know. */
export type ErrorAnswerCode = ErrorCode | 'internal';

export const errorStatusByCode: Record<ErrorAnswerCode, number> = { ...statusByCode, internal: 500 };

export const fieldIssueSchema = z.strictObject({
  path: z.string().describe('The failing field, dot-separated (`sockets.3.localPort`); `(root)`, `(body)` or `(path)` for the whole.'),
  message: z.string(),
});

/** The body of an error answer with this code. */
export function errorAnswerSchema(code: ErrorAnswerCode) {
  return z.strictObject({
    error: z.strictObject({
      code: z.literal(code),
      message: z.string().describe('One sentence for a person; never internals.'),
      fields: z.array(fieldIssueSchema).max(50).optional().describe('For invalid input: each failing field (at most 50).'),
    }),
  });
}

/** Component names and what each error status means, in words for the document. */
export const errorAnswers: Record<ErrorAnswerCode, { component: string; description: string }> = {
  bad_request: { component: 'BadRequestError', description: 'Invalid input: `fields` names each failing field (path, query or body).' },
  unauthorized: { component: 'UnauthorizedError', description: 'No valid credential for this operation.' },
  forbidden: {
    component: 'ForbiddenError',
    description:
      'The caller lacks the role or the right (an API token where only a browser session will do, an API token for another account, a wrong current password), ' +
      'a browser session sent no or a wrong CSRF token, or a host token posts for another host.',
  },
  not_found: { component: 'NotFoundError', description: 'No such host, snapshot, alert, user or rule.' },
  request_timeout: { component: 'RequestTimeoutError', description: 'The body arrived too slowly; the connection is closed.' },
  conflict: { component: 'ConflictError', description: 'The change conflicts with the current state.' },
  payload_too_large: { component: 'PayloadTooLargeError', description: 'The body is over the size limit, or a list is over its cap.' },
  unsupported_media_type: { component: 'UnsupportedMediaTypeError', description: 'The body was not sent as `application/json`.' },
  rate_limited: { component: 'RateLimitedError', description: 'Too many requests; retry after `Retry-After` seconds.' },
  unavailable: { component: 'UnavailableError', description: 'The database is down or the server is busy; retry after `Retry-After` seconds.' },
  internal: { component: 'InternalError', description: 'An unexpected failure; details are in the server log only.' },
};
