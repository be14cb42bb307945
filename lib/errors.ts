// Typed domain errors, thrown anywhere in lib/ and mapped to HTTP statuses in one place
// (lib/http/respond.ts); the ingest workers send them across threads by code (lib/ingest/ingest-runner.ts).
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'request_timeout'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable';

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldIssue[] = [],
    /** For rate_limited and unavailable: how long the client should wait (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
