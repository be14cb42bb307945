// Requests per host on POST /api/v1/snapshots. The default (120 a minute) is two orders above a
// collector's normal pace and lets a spool of two hours' snapshots replay in one minute; past it a
// runaway or stolen token gets 429 and Retry-After, which collectors honour by waiting.
import { ConfigError } from '@/lib/config';
import { AppError } from './errors';
import { RateLimiter } from './rate-limit';

export const INGEST_RATE_VARIABLE = 'SOCKSCOPE_INGEST_RATE';
export const DEFAULT_INGEST_RATE = '120/min';

export interface IngestRate {
  limit: number;
  windowMs: number;
}

const windowMsByUnit: Record<string, number> = { s: 1_000, sec: 1_000, min: 60_000, h: 3_600_000 };

/** "120/min", "5/s", "3000/h" or a bare number (per minute); "0" turns the limit off (null). */
export function parseIngestRate(value: string | undefined): IngestRate | null {
  const text = value?.trim() || DEFAULT_INGEST_RATE;
  const match = /^(\d{1,9})(?:\/(s|sec|min|h))?$/.exec(text);
  if (!match) throw new ConfigError(`Environment variable ${INGEST_RATE_VARIABLE} must look like 120/min, 5/s or 3000/h (0 turns the limit off).`);
  const limit = Number(match[1]);
  if (limit === 0) return null;
  return { limit, windowMs: windowMsByUnit[match[2] ?? 'min'] ?? 60_000 };
}

let limiter: RateLimiter | null | undefined;

/** Counts one snapshot request of the host; throws 429 (with Retry-After) over the limit. */
export function takeIngestSlot(hostName: string): void {
  if (limiter === undefined) {
    const rate = parseIngestRate(process.env[INGEST_RATE_VARIABLE]);
    limiter = rate ? new RateLimiter(rate.limit, rate.windowMs) : null;
  }
  if (!limiter) return;
  const decision = limiter.take(hostName);
  if (!decision.isAllowed) {
    throw new AppError('rate_limited', `Too many snapshots from ${hostName}; retry in ${decision.retryAfterSeconds} s.`, [], decision.retryAfterSeconds);
  }
}
