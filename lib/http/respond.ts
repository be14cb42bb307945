// One error format for every API answer: { error: { code, message, fields? } }.
// Unknown errors become a generic 500 (details go to the server log, never to the client);
// a database that is down becomes 503 so collectors spool and retry.
import { ZodError } from 'zod';
import { AppError, statusByCode, type FieldIssue } from './errors';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, jsonReplacer), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** BigInt ids travel as strings: JSON has no 64-bit integers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    const fields = zodIssues(error);
    return json({ error: { code: 'bad_request', message: `Invalid ${fields[0]?.path ?? 'input'}: ${fields[0]?.message ?? ''}`, fields } }, 400);
  }
  if (error instanceof AppError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error.fields.length > 0) body.fields = error.fields;
    const headers: Record<string, string> = error.code === 'unauthorized' ? { 'www-authenticate': 'Bearer' } : {};
    if (error.code === 'unavailable' || error.code === 'rate_limited') headers['retry-after'] = String(error.retryAfterSeconds ?? 5);
    return json({ error: body }, statusByCode[error.code], headers);
  }
  if (isDatabaseUnavailable(error)) {
    return json({ error: { code: 'unavailable', message: 'The database is unavailable; retry later.' } }, 503, { 'retry-after': '5' });
  }
  console.error('[sockscope] unexpected error:', error);
  return json({ error: { code: 'internal', message: 'Internal server error.' } }, 500);
}

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003', 'P1001', 'P1017', 'P2024']);

/** Connection-level failures (server restarting, pool timeout), not bad queries. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; message?: unknown };
    if (typeof candidate.code === 'string' && unavailableCodes.has(candidate.code)) return true;
    if (typeof candidate.message === 'string' && /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|terminating connection/i.test(candidate.message)) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

/** Route handler wrapper: whatever the handler throws becomes the one error format. */
export function handle<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
