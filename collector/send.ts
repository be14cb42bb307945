// One POST of one snapshot, and what the answer means for the spool: done, never retry, or retry later.
import { anySignal } from './abort';

const DEFAULT_TIMEOUT_MS = 15_000;
/** Server error bodies are logged and kept beside rejected snapshots; a bound keeps both readable. */
const MAX_ERROR_BODY_CHARS = 2_000;

export type SendOutcome =
  | { kind: 'delivered'; status: number; body: string }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'retry'; status: number | null; reason: string; retryAfterMs: number | null };

export interface SendOptions {
  server: string;
  token: string;
  timeoutMs?: number;
  /** Aborts the request early (shutdown grace over); the outcome is then `retry`. */
  signal?: AbortSignal;
}

export function snapshotsUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/api/v1/snapshots`;
}

/** 408 and 429 are the client errors that mean "later", not "never". */
export function classifyStatus(status: number): SendOutcome['kind'] {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429) return 'retry';
  if (status >= 400 && status < 500) return 'rejected';
  // 5xx, and redirects: a misconfigured URL keeps snapshots spooled until the operator fixes it.
  return 'retry';
}

export async function postSnapshot(body: string, options: SendOptions): Promise<SendOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { signal, dispose } = anySignal([AbortSignal.timeout(timeoutMs), options.signal]);
  try {
    const response = await fetch(snapshotsUrl(options.server), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body,
      // Following a redirect could turn the POST into a GET or carry the token to another host.
      redirect: 'manual',
      signal,
    });
    const responseBody = truncate(await response.text());
    const kind = classifyStatus(response.status);
    if (kind !== 'retry') return { kind, status: response.status, body: responseBody };
    return {
      kind,
      status: response.status,
      reason: describeRetryStatus(response.status, response.headers.get('location')),
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  } catch (error) {
    return { kind: 'retry', status: null, reason: describeFetchError(error, signal, timeoutMs), retryAfterMs: null };
  } finally {
    dispose();
  }
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describeRetryStatus(status: number, location: string | null): string {
  if (status >= 300 && status < 400) return `HTTP ${status} redirect to ${location ?? '?'} (check the server URL)`;
  return `HTTP ${status}`;
}

function describeFetchError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return `aborted (${reason instanceof Error ? reason.message : String(reason)})`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? (cause?.message ?? error.message) : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text;
}
