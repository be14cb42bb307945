// Every bound on snapshot ingest, in one place (docs/security.md):
// - a rate per host (SOCKSCOPE_INGEST_RATE, default 20 a second: far above a collector's pace, and a
//   collector replaying its spool after an outage is held to the server's pace, not to a trickle —
//   an hour of 1-second snapshots catches up in minutes); past it 429 + Retry-After;
// - one snapshot at a time per host, from its first byte to its answer: a host cannot occupy the
//   server with parallel uploads (429; a collector sends one at a time anyway);
// - bytes of bodies being received at once, across hosts (slow uploads cannot fill memory; 503);
// - snapshots being ingested at once (SOCKSCOPE_INGEST_CONCURRENCY); past it 503 + Retry-After,
//   and collectors keep theirs spooled. A body is received before it takes one of these slots, so
//   slow uploads never hold them.
import type { IngestRate } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { RateLimiter } from '@/lib/http/rate-limit';
import { setIngestReceivingBytes, setIngestsInFlight } from '@/lib/metrics';

export interface IngestLimitSettings {
  rate: IngestRate | null;
  /** Ingests at once; 0 = no limit. */
  concurrency: number;
  /** Bytes of bodies being received at once, across hosts. */
  receivingBytes: number;
}

const BUSY_RETRY_SECONDS = 2;

export class IngestLimits {
  private readonly rateLimiter: RateLimiter | null;
  private readonly hostsInFlight = new Set<number>();
  private receivingBytes = 0;
  private ingesting = 0;

  constructor(private readonly settings: IngestLimitSettings) {
    this.rateLimiter = settings.rate ? new RateLimiter(settings.rate.limit, settings.rate.windowMs) : null;
  }

  /** Counts one snapshot of the host and makes it the host's one in flight; call the result when answered. */
  admitHost(host: { id: number; name: string }): () => void {
    if (this.hostsInFlight.has(host.id)) {
      throw new AppError('rate_limited', `A snapshot of ${host.name} is being received already; send one at a time.`, [], 1);
    }
    const decision = this.rateLimiter?.take(host.name);
    if (decision && !decision.isAllowed) {
      throw new AppError('rate_limited', `Too many snapshots from ${host.name}; retry in ${decision.retryAfterSeconds} s.`, [], decision.retryAfterSeconds);
    }
    this.hostsInFlight.add(host.id);
    return once(() => this.hostsInFlight.delete(host.id));
  }

  /**
   * Reserves room for a body of `bytes` while it is received; call the result when it is no longer
   * held. One body is always admitted when nothing else is being received, whatever its size.
   */
  reserveBody(bytes: number): () => void {
    if (this.receivingBytes + bytes > this.settings.receivingBytes && this.receivingBytes > 0) {
      throw new AppError('unavailable', 'The server is receiving too much at once; retry shortly.', [], BUSY_RETRY_SECONDS);
    }
    this.receivingBytes += bytes;
    setIngestReceivingBytes(this.receivingBytes);
    return once(() => {
      this.receivingBytes -= bytes;
      setIngestReceivingBytes(this.receivingBytes);
    });
  }

  /** Takes one of the ingest slots; call the result when done. */
  startIngest(): () => void {
    const limit = this.settings.concurrency;
    if (limit > 0 && this.ingesting >= limit) {
      throw new AppError(
        'unavailable',
        `The server is ingesting ${this.ingesting} snapshots already; retry in ${BUSY_RETRY_SECONDS} s.`,
        [],
        BUSY_RETRY_SECONDS,
      );
    }
    this.ingesting += 1;
    setIngestsInFlight(this.ingesting);
    return once(() => {
      this.ingesting -= 1;
      setIngestsInFlight(this.ingesting);
    });
  }
}

function once(release: () => void): () => void {
  let isReleased = false;
  return () => {
    if (isReleased) return;
    isReleased = true;
    release();
  };
}
