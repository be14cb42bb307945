// dpkg's database read the way dpkg-query reads it: /var/lib/dpkg/status, then every journal file in
// /var/lib/dpkg/updates/ (all-digit names, in name order) that a running or interrupted dpkg has not
// folded back into the status file yet.
import type { PackageRow } from '../../../lib/schemas/snapshot';
import { type DpkgRecord, installedDpkgPackages, readDpkgRecords } from '../../parse/dpkg-status';
import { listOptionalDirectory, parseDatabaseFile, readOptionalFile, underRoot } from './database-files';

const STATUS_FILE = 'var/lib/dpkg/status';
const UPDATES_DIRECTORY = 'var/lib/dpkg/updates';

/** A change to any of these is a change to the installed packages (a journal file appears or goes). */
export function dpkgWatchedPaths(root: string): string[] {
  return [underRoot(root, STATUS_FILE), underRoot(root, UPDATES_DIRECTORY)];
}

/** The installed packages, or null when the host has no dpkg database. */
export async function readDpkgDatabase(root: string): Promise<PackageRow[] | null> {
  const statusPath = underRoot(root, STATUS_FILE);
  const statusText = await readOptionalFile(statusPath);
  if (statusText === null) return null;
  const records: DpkgRecord[] = parseDatabaseFile(statusPath, statusText, readDpkgRecords);
  const updatesPath = underRoot(root, UPDATES_DIRECTORY);
  const journalFiles = (await listOptionalDirectory(updatesPath)).filter((name) => /^\d+$/.test(name)).sort();
  for (const name of journalFiles) {
    const journalPath = underRoot(root, `${UPDATES_DIRECTORY}/${name}`);
    // Gone: dpkg has just folded it into the status file; the next read sees it there.
    const journalText = await readOptionalFile(journalPath);
    if (journalText !== null) records.push(...parseDatabaseFile(journalPath, journalText, readDpkgRecords));
  }
  return installedDpkgPackages(records);
}
