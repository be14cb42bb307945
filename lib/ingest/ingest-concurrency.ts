// Bounds the snapshots ingested at once. When the server falls behind, the extra requests would
// otherwise queue in memory with their bodies and every collector would wait longer; answering
// 503 + Retry-After instead keeps latency and memory bounded, and collectors keep the snapshot in
// their spool and retry (nothing is lost).
import { AppError } from '@/lib/http/errors';

const RETRY_AFTER_SECONDS = 2;

// On globalThis: server.ts and the Next.js route bundle are separate module graphs in one process.
const globalForIngest = globalThis as typeof globalThis & { __sockscopeIngestsInFlight?: number };

/** Takes one of `limit` ingest slots (0 = unlimited); call the returned function when done. */
export function takeIngestConcurrencySlot(limit: number): () => void {
  const inFlight = globalForIngest.__sockscopeIngestsInFlight ?? 0;
  if (limit > 0 && inFlight >= limit) {
    throw new AppError('unavailable', `The server is ingesting ${inFlight} snapshots already; retry in ${RETRY_AFTER_SECONDS} s.`, [], RETRY_AFTER_SECONDS);
  }
  globalForIngest.__sockscopeIngestsInFlight = inFlight + 1;
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    globalForIngest.__sockscopeIngestsInFlight = (globalForIngest.__sockscopeIngestsInFlight ?? 1) - 1;
  };
}

export function ingestsInFlight(): number {
  return globalForIngest.__sockscopeIngestsInFlight ?? 0;
}
