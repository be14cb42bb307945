// One error format for every API answer: { error: { code, message, fields? } }.
// Unknown errors become a generic 500 (details go to the server log, never to the client);
// a database that is down becomes 503 so collectors spool and retry.
import { ZodError } from 'zod';
import { AppError, type ErrorCode, type FieldIssue } from '@/lib/errors';
import { logger } from '@/lib/logger';

/** The one place a domain error becomes an HTTP status. */
export const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

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
  if (isUnstorableText(error)) {
    return json({ error: { code: 'bad_request', message: 'A value contains characters that cannot be stored or searched, such as a NUL byte.' } }, 400);
  }
  if (isOutOfRange(error)) {
    return json({ error: { code: 'bad_request', message: 'A number is out of the range the server can store or search.' } }, 400);
  }
  if (isDatabaseUnavailable(error)) {
    return json({ error: { code: 'unavailable', message: 'The database is unavailable; retry later.' } }, 503, { 'retry-after': '5' });
  }
  if (isTransientConflict(error)) {
    return json({ error: { code: 'unavailable', message: 'The database was busy with a conflicting change; retry.' } }, 503, { 'retry-after': '1' });
  }
  logger().error({ err: error }, 'unexpected error');
  return json({ error: { code: 'internal', message: 'Internal server error.' } }, 500);
}

const unavailableKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
  'P1001',
  'P1017',
  'P2024',
]);

// PostgreSQL text holds no NUL byte and only valid UTF-8: a request that carries one (in a path, a
// query or a field no schema bounds) is the client's mistake, not the server's.
const unstorableTextCodes = new Set(['22021', '22P05']);

/** The database refused a value's characters (NUL byte, bad encoding), wherever it came from. */
export function isUnstorableText(error: unknown): boolean {
  return someCause(error, (candidate) => {
    const code = candidate.originalCode ?? candidate.code;
    if (typeof code === 'string' && unstorableTextCodes.has(code)) return true;
    return (
      typeof candidate.message === 'string' &&
      /invalid byte sequence for encoding|untranslatable character|\\u0000 cannot be converted/i.test(candidate.message)
    );
  });
}

/** A number past its column's range (an id beyond 64 bits): the input's fault, like a NUL byte. */
export function isOutOfRange(error: unknown): boolean {
  return someCause(error, (candidate) => candidate.kind === 'ValueOutOfRange' || (candidate.originalCode ?? candidate.code) === '22003');
}

/** Prisma's driver adapters describe a database error by `kind` (the pg adapter) or by SQLSTATE `code`. */
type ErrorLike = { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

function someCause(error: unknown, test: (candidate: ErrorLike) => boolean): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 12; seen++) {
    const candidate = pending.shift() as ErrorLike | null | undefined;
    if (!candidate || typeof candidate !== 'object') continue;
    if (test(candidate)) return true;
    pending.push(candidate.cause, candidate.meta?.driverAdapterError);
  }
  return false;
}

/** Connection-level failures (server restarting, pool timeout), not bad queries. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someCause(error, (candidate) => {
    const code = candidate.originalCode ?? candidate.code;
    if (typeof code === 'string' && unavailableCodes.has(code)) return true;
    if (typeof candidate.kind === 'string' && unavailableKinds.has(candidate.kind)) return true;
    return (
      typeof candidate.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|Can't reach database server|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|terminating connection|the database system is (starting up|shutting down)/i.test(
        candidate.message,
      )
    );
  });
}

// Deadlock, serialization failure, lock timeout: the statement lost a race (e.g. an ingest against
// retention dropping a week's partition) and succeeds when simply retried.
const transientConflictCodes = new Set(['40P01', '40001', '55P03', 'P2034']);

export function isTransientConflict(error: unknown): boolean {
  return someCause(error, (candidate) => {
    const code = candidate.originalCode ?? candidate.code;
    return (typeof code === 'string' && transientConflictCodes.has(code)) || candidate.kind === 'TransactionWriteConflict';
  });
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
