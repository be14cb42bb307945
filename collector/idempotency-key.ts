// `<host>-<epoch ms>-<suffix>`: unique per snapshot, stable across retries, readable in server logs.
import { randomBytes } from 'node:crypto';

/** Keeps the key within the contract's 128 characters whatever the host name's length. */
const MAX_HOST_PART = 100;

export function makeIdempotencyKey(hostName: string, collectedAt: Date, suffix?: string): string {
  const hostPart = hostName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_HOST_PART);
  return `${hostPart}-${collectedAt.getTime()}-${suffix ?? randomBytes(4).toString('hex')}`;
}
