// The installed packages for a one-shot `snapshot`, kept between runs in the cache directory
// (cache-files.ts) with the fingerprint of the database files they were read from. Reading a
// dpkg database again costs a one-shot run more than all its sockets and processes; the kept list
// is used while the fingerprint is unchanged and for an hour at most, as the `run` daemon reads
// them again (package-schedule.ts).
import type { PackageRow } from '../../../lib/schemas/snapshot';
import { readCacheFile, writeCacheFile } from '../../cache-files';
import { DEFAULT_PACKAGES_INTERVAL_SECONDS } from './package-schedule';
import { type PackageDatabases, localPackageDatabases } from './index';

const FILE_NAME = 'packages.json';
const MAX_AGE_MS = DEFAULT_PACKAGES_INTERVAL_SECONDS * 1000;

interface KeptList {
  fingerprint: string;
  readAt: number;
  rows: PackageRow[] | null;
}

function readKeptList(directory: string, fingerprint: string, now: number): KeptList | null {
  const content = readCacheFile(directory, FILE_NAME);
  if (content === null) return null;
  try {
    const kept = JSON.parse(content.toString('utf8')) as KeptList;
    const isFresh = kept.fingerprint === fingerprint && now - kept.readAt >= 0 && now - kept.readAt < MAX_AGE_MS;
    return isFresh && (kept.rows === null || Array.isArray(kept.rows)) ? kept : null;
  } catch {
    return null;
  }
}

export interface KeptPackagesOptions {
  databases?: PackageDatabases;
  now?: number;
}

/** The installed packages (null: no package database), from the kept list when it still holds. */
export async function gatherPackagesKept(directory: string | null, options: KeptPackagesOptions = {}): Promise<PackageRow[] | null> {
  const databases = options.databases ?? localPackageDatabases();
  if (directory === null) return databases.read();
  const now = options.now ?? Date.now();
  // Taken before the read: a change during the read makes the next run read again. A stat that
  // fails (a database directory we may not enter) keeps nothing: the read says what is wrong.
  const fingerprint = await databases.fingerprint().catch(() => null);
  if (fingerprint === null) return databases.read();
  const kept = readKeptList(directory, fingerprint, now);
  if (kept !== null) return kept.rows;
  const rows = await databases.read();
  writeCacheFile(directory, FILE_NAME, Buffer.from(JSON.stringify({ fingerprint, readAt: now, rows } satisfies KeptList)));
  return rows;
}
