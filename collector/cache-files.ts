// Files the collector keeps between runs to start faster: the bundle's compiled code
// (launch-bundle.ts), executable digests (gather/linux/executable-hash-file.ts) and the package
// list (gather/packages/package-list-file.ts). They live in ~/.sockscope/cache, or
// SOCKSCOPE_CACHE_DIR ('' turns them off). What they hold decides which code runs and what a
// snapshot reports, so a file counts only when no other user could have written it and it is
// whole; anything else, and any failure, reads as "no cache".
//
// A file holds its content twice, and is taken only when both copies agree: that catches a damaged
// or cut-short file as a checksum would, without loading node:crypto or node:zlib, which would cost a
// one-shot run more than reading the file twice. (Someone able to write the file could forge a
// checksum as easily; the ownership checks are what keep them out.)
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const MAGIC = Buffer.from('SSCACHE2');

/** Where the cache files go; null when caching is turned off. */
export function cacheDirectory(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const configured = env.SOCKSCOPE_CACHE_DIR;
  if (configured !== undefined) return configured === '' ? null : configured;
  return path.join(homedir(), '.sockscope', 'cache');
}

/** Owned by our user and writable by nobody else: nobody else can have written the file, or swapped it in the directory. */
function isOurs(stats: { uid: number; mode: number }): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

/** `size` bytes of an open file; null when it ends sooner (cut short, or changed while read). */
export function readWhole(fd: number, size: number): Buffer | null {
  const data = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const bytesRead = readSync(fd, data, length, size - length, length);
    if (bytesRead === 0) return null;
    length += bytesRead;
  }
  return data;
}

/** The content of a cache file; null when it is missing, not ours, damaged, or unreadable. */
export function readCacheFile(directory: string, name: string): Buffer | null {
  try {
    if (!isOurs(statSync(directory))) return null;
    const fd = openSync(path.join(directory, name), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || !isOurs(stats) || stats.size < MAGIC.length || (stats.size - MAGIC.length) % 2 !== 0) return null;
      const data = readWhole(fd, stats.size);
      if (data === null || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const half = (data.length - MAGIC.length) / 2;
      const content = data.subarray(MAGIC.length, MAGIC.length + half);
      return content.equals(data.subarray(MAGIC.length + half)) ? content : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/**
 * Replaces a cache file in one rename, so that a reader sees the old file or the whole new one;
 * false when it cannot be written (a read-only home under systemd's ProtectHome, a full disk).
 */
export function writeCacheFile(directory: string, name: string, content: Uint8Array): boolean {
  const tempPath = path.join(directory, `.tmp-${process.pid}-${name}`);
  let fd: number | undefined;
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!isOurs(statSync(directory))) return false;
    fd = openSync(tempPath, 'w', 0o600);
    for (const chunk of [MAGIC, content, content]) {
      for (let written = 0; written < chunk.length;) written += writeSync(fd, chunk, written);
    }
    closeSync(fd);
    fd = undefined;
    renameSync(tempPath, path.join(directory, name));
    return true;
  } catch {
    try {
      if (fd !== undefined) closeSync(fd);
      unlinkSync(tempPath);
    } catch {
      // Never created, or already renamed.
    }
    return false;
  }
}

/** Deletes the cache files whose names `isStale` picks (another build's compiled code). */
export function removeCacheFiles(directory: string, isStale: (name: string) => boolean): void {
  try {
    for (const name of readdirSync(directory)) if (isStale(name)) unlinkSync(path.join(directory, name));
  } catch {
    // A leftover file costs only disk space.
  }
}
