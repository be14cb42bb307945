// Executable digests kept between runs in the cache directory (cache-files.ts). Without them a
// one-shot `snapshot` or `run --once` hashes the same binaries every time, and stops at the
// per-snapshot budget, so a binary past it never gets a digest. The file keeps the digests of the
// binaries the last snapshot ran, each used only while its key (device, inode, size, mtime, ctime)
// still matches, as in memory; and the hashing speed measured, by which a one-shot run leaves alone
// a binary it could not finish in time.
import { readCacheFile, writeCacheFile } from '../../cache-files';
import { ExecutableHashCache, type KeptDigests } from './executable-hashes';

const FILE_NAME = 'executable-hashes.json';
const KEY = /^\d+:\d+:\d+:-?\d+:-?\d+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isDigestEntry(entry: unknown): entry is [string, string] {
  return (
    Array.isArray(entry) &&
    entry.length === 2 &&
    typeof entry[0] === 'string' &&
    KEY.test(entry[0]) &&
    typeof entry[1] === 'string' &&
    SHA256_HEX.test(entry[1])
  );
}

function parseKeptDigests(content: Buffer): KeptDigests | null {
  try {
    const kept = JSON.parse(content.toString('utf8')) as Partial<Record<keyof KeptDigests, unknown>> | null;
    if (kept === null || !Array.isArray(kept.digests)) return null;
    const speed = kept.bytesPerMillisecond;
    return { digests: kept.digests.filter(isDigestEntry), bytesPerMillisecond: typeof speed === 'number' && speed > 0 ? speed : null };
  } catch {
    return null;
  }
}

/** A digest cache holding what the directory's file kept; empty when there is none (or no directory). */
export function loadExecutableHashCache(directory: string | null): ExecutableHashCache {
  const cache = new ExecutableHashCache();
  const content = directory === null ? null : readCacheFile(directory, FILE_NAME);
  const kept = content === null ? null : parseKeptDigests(content);
  if (kept !== null) cache.restore(kept);
  return cache;
}

/** Writes out what changed since the last save; a directory we cannot write to is left as it is. */
export function saveExecutableHashCache(directory: string | null, cache: ExecutableHashCache): void {
  if (directory === null) return;
  const kept = cache.takeChangesToKeep();
  if (kept !== null) writeCacheFile(directory, FILE_NAME, Buffer.from(JSON.stringify(kept)));
}
