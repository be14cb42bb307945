// When a snapshot carries the packages section: the first snapshot, then once per packages interval
// (hourly by default, like the OSPatrol recipe's `rpm -qa` check), and sooner when a package
// database file changed, which a stat per snapshot notices. Snapshots in between leave the section
// out ("not collected"), so the server keeps the last list it had.
import type { PackageRow } from '../../../lib/schemas/snapshot';
import type { Logger } from '../../log';
import { type PackageDatabases, localPackageDatabases } from './index';

export const DEFAULT_PACKAGES_INTERVAL_SECONDS = 3600;

export interface PackageScheduleOptions {
  /** 0 turns the packages section off. */
  intervalMs: number;
  log: Logger;
  databases?: PackageDatabases;
  now?: () => number;
}

export class PackageSchedule {
  private lastAttempt: { at: number; fingerprint: string } | null = null;
  private readonly databases: PackageDatabases;
  private readonly now: () => number;

  constructor(private readonly options: PackageScheduleOptions) {
    this.databases = options.databases ?? localPackageDatabases();
    this.now = options.now ?? Date.now;
  }

  /** The packages for the snapshot being collected, or undefined when they are not due (or unreadable). */
  async takeIfDue(): Promise<PackageRow[] | undefined> {
    if (this.options.intervalMs <= 0) return undefined;
    const now = this.now();
    // Taken before the read: a change during the read shows at the next snapshot. A stat that fails
    // (a database directory we may not enter) is a fingerprint too: the read then says what is wrong.
    const fingerprint = await this.databases.fingerprint().catch((error: unknown) => `unreadable: ${describeError(error)}`);
    const last = this.lastAttempt;
    if (last !== null && now - last.at < this.options.intervalMs && fingerprint === last.fingerprint) return undefined;
    // A failed read is retried at the next interval or change, not at every snapshot.
    this.lastAttempt = { at: now, fingerprint };
    try {
      return (await this.databases.read()) ?? undefined;
    } catch (error) {
      this.options.log.warn(`could not read the installed packages (${describeError(error)}); snapshots go without them until the next try`);
      return undefined;
    }
  }

  /** The snapshot that carried the packages never reached the server: read them again for the next one. */
  markUndelivered(): void {
    this.lastAttempt = null;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
