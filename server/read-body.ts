// Receives a request body from node:http with the limits an attacker would probe: a size limit
// (413, also checked against Content-Length before anything is read) and a minimum pace — a body
// that stalls for IDLE_TIMEOUT_MS, or whose average pace falls under MIN_BYTES_PER_SECOND once
// GRACE_MS have passed, gets 408 within seconds instead of holding the connection for minutes.
import type { IncomingMessage } from 'node:http';
import { AppError } from '@/lib/errors';

const IDLE_TIMEOUT_MS = 10_000;
const GRACE_MS = 10_000;
const MIN_BYTES_PER_SECOND = 8 * 1024;

export interface BodyLimits {
  maxBytes: number;
  idleTimeoutMs?: number;
  graceMs?: number;
  minBytesPerSecond?: number;
}

export function declaredLength(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const idleTimeoutMs = limits.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  const graceMs = limits.graceMs ?? GRACE_MS;
  const minBytesPerSecond = limits.minBytesPerSecond ?? MIN_BYTES_PER_SECOND;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const startedAt = Date.now();
    let received = 0;
    let settled = false;
    const finish = (error: AppError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      clearInterval(paceCheck);
      request.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, received));
    };
    const tooSlow = (why: string) =>
      new AppError('request_timeout', `The body arrived too slowly (${why}); send it at once.`, [{ path: '(body)', message: why }]);
    let idleTimer = setTimeout(() => finish(tooSlow(`nothing for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
    const paceCheck = setInterval(() => {
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs >= graceMs && received / (elapsedMs / 1000) < minBytesPerSecond) finish(tooSlow(`under ${minBytesPerSecond} bytes/s`));
    }, 1_000);
    const onData = (chunk: Buffer) => {
      received += chunk.byteLength;
      if (received > limits.maxBytes) {
        finish(new AppError('payload_too_large', `The snapshot is larger than the limit of ${limits.maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => finish(tooSlow(`nothing for ${idleTimeoutMs / 1000} s`)), idleTimeoutMs);
    };
    const onEnd = () => finish(null);
    const onError = () => finish(new AppError('bad_request', 'The connection failed while the body was sent.'));
    const onAborted = onError;
    request.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}
