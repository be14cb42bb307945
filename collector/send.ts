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
    const response = await request(snapshotsUrl(options.server), body, options.token, signal);
    const kind = classifyStatus(response.status);
    if (kind !== 'retry') return { kind, status: response.status, body: response.body };
    return {
      kind,
      status: response.status,
      reason: describeRetryStatus(response.status, response.location),
      retryAfterMs: parseRetryAfter(response.retryAfter),
    };
  } catch (error) {
    return { kind: 'retry', status: null, reason: describeSendError(error, signal, timeoutMs), retryAfterMs: null };
  } finally {
    dispose();
  }
}

interface Answer {
  status: number;
  body: string;
  location: string | null;
  retryAfter: string | null;
}

// node:http rather than fetch: fetch loads undici and its WebAssembly HTTP parser, ~20 MB of the
// daemon's resident memory (docs/collector.md). node:http never follows redirects: following one
// could turn the POST into a GET or carry the token to another host.
async function request(url: string, body: string, token: string, signal: AbortSignal): Promise<Answer> {
  const { request: send } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        signal,
      },
      (response) => {
        // The answer is a short JSON document; a longer one is read to its end (so the connection
        // can serve the next post) but only its start kept.
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length <= MAX_ERROR_BODY_CHARS) text += chunk;
        });
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: truncate(text),
            location: headerValue(response.headers.location),
            retryAfter: headerValue(response.headers['retry-after']),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
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

function describeSendError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    return `aborted (${reason instanceof Error ? reason.message : String(reason)})`;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text;
}
