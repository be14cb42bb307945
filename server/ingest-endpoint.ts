// POST /api/v1/snapshots, served by server.ts straight from node:http: Next.js's per-request
// pipeline would cost as much CPU as the ingest itself (bench/README.md). The contract (docs/api.md, `postSnapshot`):
// 202 { id, changed, replayed } for a new snapshot, 200 for a replayed idempotency key; 400 with the
// failing fields, 401, 403, 408 for a body that stalls, 409 for a delta whose base this server does
// not hold, 413, 429 and 503 with Retry-After. The order of checks keeps every cost behind the one
// before it: size, token, the host's one-at-a-time and rate, the body, then an ingest slot.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { readBearer } from '@/lib/auth/principal';
import { findHostByToken } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/errors';
import { errorResponse, jsonReplacer } from '@/lib/http/respond';
import type { SnapshotReceiver } from '@/lib/ingest/snapshot-receiver';
import { recordRejectedSnapshot } from '@/lib/metrics';
import { declaredLength, readBody } from './read-body';

export interface IngestEndpointOptions {
  prisma: PrismaClient;
  receiver: SnapshotReceiver;
  maxSnapshotBytes: number;
  /** Security headers every API answer carries. */
  headers: Readonly<Record<string, string>>;
}

export function createIngestEndpoint(options: IngestEndpointOptions) {
  return async function serveSnapshotPost(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let status = 500;
    try {
      const { status: okStatus, body } = await receive(request, options);
      status = okStatus;
      send(
        response,
        okStatus,
        JSON.stringify(body, jsonReplacer),
        { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        options.headers,
      );
    } catch (error) {
      const answer = errorResponse(error);
      status = answer.status;
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        headers[name] = value;
      });
      send(response, answer.status, await answer.text(), headers, options.headers);
      // An unread body is drained so the keep-alive connection stays usable, unless it was too slow:
      // then the connection goes (reading on would give the slow sender what it wants).
      if (status === 408) request.socket.destroySoon();
      else if (!request.complete) request.resume();
    } finally {
      if (status >= 400) recordRejectedSnapshot(status);
    }
  };
}

async function receive(request: IncomingMessage, options: IngestEndpointOptions): Promise<{ status: number; body: unknown }> {
  const { maxSnapshotBytes: maxBytes } = options;
  const length = declaredLength(request);
  if (length !== null && length > maxBytes) throw new AppError('payload_too_large', `The snapshot is larger than the limit of ${maxBytes} bytes.`);
  const token = readBearer(request.headers.authorization);
  if (!token) throw new AppError('unauthorized', 'Send the host token as "Authorization: Bearer TOKEN".');
  const host = await findHostByToken(options.prisma, token);
  if (!host) throw new AppError('unauthorized', 'Unknown or revoked host token.');
  const limits = options.receiver.limits;
  const releaseHost = limits.admitHost(host);
  try {
    const releaseBody = limits.reserveBody(length ?? maxBytes);
    let body: Buffer;
    try {
      body = await readBody(request, { maxBytes });
    } finally {
      releaseBody();
    }
    const result = await options.receiver.ingest(host, body);
    return { status: result.replayed ? 200 : 202, body: { id: result.id, changed: result.changed, replayed: result.replayed } };
  } finally {
    releaseHost();
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
  securityHeaders: Readonly<Record<string, string>>,
): void {
  if (response.headersSent) return;
  const payload = Buffer.from(body);
  response.writeHead(status, { ...securityHeaders, ...headers, 'content-length': String(payload.byteLength) });
  response.end(payload);
}
