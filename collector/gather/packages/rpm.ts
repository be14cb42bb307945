// The rpm database, read through rpm itself (its formats, Berkeley DB, ndb and sqlite, are not ours
// to parse): `rpm -qa --queryformat RPM_QUERY_FORMAT`, only on a host that has both an rpm database
// and the rpm binary.
import type { PackageRow } from '../../../lib/schemas/snapshot';
import { RPM_QUERY_FORMAT, readRpmPackages } from '../../parse/rpm-qa';
import { exists, isMissing, parseDatabaseFile, underRoot } from './database-files';

/** Where rpm keeps its database (%_dbpath): /var/lib/rpm, or /usr/lib/sysimage/rpm on SUSE and Fedora 36+. */
const DATABASE_DIRECTORIES = ['var/lib/rpm', 'usr/lib/sysimage/rpm'];
/** The package file of each backend: sqlite (rpm 4.16+), Berkeley DB, ndb. */
const DATABASE_FILES = ['rpmdb.sqlite', 'Packages', 'Packages.db'];
const TIMEOUT_MS = 120_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface RpmOptions {
  /** The rpm executable; tests point it at a stand-in. */
  command?: string;
}

export function rpmWatchedPaths(root: string): string[] {
  return DATABASE_DIRECTORIES.flatMap((directory) => DATABASE_FILES.map((file) => underRoot(root, `${directory}/${file}`)));
}

/** The installed packages, or null when the host has no rpm database or no rpm to read it with. */
export async function readRpmDatabase(root: string, options: RpmOptions = {}): Promise<PackageRow[] | null> {
  const hasDatabase = (await Promise.all(rpmWatchedPaths(root).map(exists))).some(Boolean);
  if (!hasDatabase) return null;
  const args = ['-qa', '--queryformat', RPM_QUERY_FORMAT, ...(root === '/' ? [] : ['--root', root])];
  const output = await runRpm(options.command ?? 'rpm', args);
  return output === null ? null : parseDatabaseFile('rpm -qa', output, readRpmPackages);
}

/** rpm's standard output; null when there is no rpm to run. */
async function runRpm(command: string, args: string[]): Promise<string | null> {
  // Loaded here, on hosts with an rpm database only: elsewhere a one-shot `snapshot` would pay for
  // child_process at start-up and never use it.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    // An argument list, never a shell; the C locale keeps rpm's messages and dates unlocalised.
    execFile(command, args, { env: { ...process.env, LC_ALL: 'C' }, timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      if (isMissing(error)) return resolve(null);
      const firstLine = stderr.trim().split('\n')[0] ?? '';
      reject(new Error(`rpm -qa failed (${error.killed ? 'timed out' : `exit ${error.code ?? error.signal}`})${firstLine ? `: ${firstLine}` : ''}`));
    });
  });
}
