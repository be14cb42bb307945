import { readBearer } from '@/lib/auth/principal';
import { findHostByToken } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/http/errors';
import { takeIngestSlot } from '@/lib/http/ingest-rate-limit';
import { getPrisma, serverConfig } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { takeIngestConcurrencySlot } from '@/lib/ingest/ingest-concurrency';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { parseSnapshotJson, readBodyWithLimit } from '@/lib/ingest/parse-snapshot-body';
import { publishIngest } from '@/lib/ingest/publish-ingest';
import { recordIngest, recordRejectedSnapshot } from '@/lib/metrics';

/** A collector posts one snapshot (contract: 202 {id, changed}; 200 for a replayed idempotency key). */
const ingest = handle(async (request: Request) => {
  const { SOCKSCOPE_MAX_SNAPSHOT_BYTES: maxBytes, SOCKSCOPE_INGEST_CONCURRENCY: concurrency } = serverConfig();
  const declaredLength = Number(request.headers.get('content-length') ?? 'NaN');
  if (declaredLength > maxBytes) throw new AppError('payload_too_large', `The snapshot is larger than the limit of ${maxBytes} bytes.`);
  const token = readBearer(request.headers.get('authorization'));
  if (!token) throw new AppError('unauthorized', 'Send the host token as "Authorization: Bearer TOKEN".');
  const prisma = await getPrisma();
  const host = await findHostByToken(prisma, token);
  if (!host) throw new AppError('unauthorized', 'Unknown or revoked host token.');
  takeIngestSlot(host.name);
  // Taken after authentication, so only enrolled hosts can occupy a slot.
  const releaseSlot = takeIngestConcurrencySlot(concurrency);
  try {
    const snapshot = parseSnapshotJson(await readBodyWithLimit(request, maxBytes), host.id);
    const started = performance.now();
    const result = await ingestSnapshot(prisma, host, snapshot);
    recordIngest((performance.now() - started) / 1000, result.replayed);
    publishIngest(result, snapshot);
    return json({ id: result.id, changed: result.changed, replayed: result.replayed }, result.replayed ? 200 : 202);
  } finally {
    releaseSlot();
  }
});

export async function POST(request: Request): Promise<Response> {
  const response = await ingest(request);
  if (response.status >= 400) recordRejectedSnapshot(response.status);
  return response;
}
