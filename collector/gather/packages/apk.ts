// Alpine's database of installed packages, read directly: /lib/apk/db/installed.
import type { PackageRow } from '../../../lib/schemas/snapshot';
import { readApkInstalled } from '../../parse/apk-installed';
import { parseDatabaseFile, readOptionalFile, underRoot } from './database-files';

const INSTALLED_FILE = 'lib/apk/db/installed';

export function apkWatchedPaths(root: string): string[] {
  return [underRoot(root, INSTALLED_FILE)];
}

/** The installed packages, or null when the host has no apk database. */
export async function readApkDatabase(root: string): Promise<PackageRow[] | null> {
  const installedPath = underRoot(root, INSTALLED_FILE);
  const text = await readOptionalFile(installedPath);
  return text === null ? null : parseDatabaseFile(installedPath, text, readApkInstalled);
}
