// `<host>-<epoch ms>-<suffix>`: unique per snapshot, stable across retries, readable in server logs.

/** Keeps the key within the contract's 128 characters whatever the host name's length. */
const MAX_HOST_PART = 100;

export function makeIdempotencyKey(hostName: string, collectedAt: Date, suffix?: string): string {
  const hostPart = hostName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, MAX_HOST_PART);
  return `${hostPart}-${collectedAt.getTime()}-${suffix ?? randomSuffix()}`;
}

/**
 * 8 hex digits that keep two snapshots of one millisecond apart. Not a secret (the key travels with
 * the snapshot), so Math.random serves: node:crypto would cost a one-shot `snapshot` a few ms to load.
 */
function randomSuffix(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}
