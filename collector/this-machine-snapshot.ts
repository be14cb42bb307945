// This machine's snapshot, gathered natively from /proc and /sys.
import type { PackageRow, Snapshot, TracerouteRun } from '../lib/schemas/snapshot';
import { finishSnapshot } from './build-snapshot';
import { BadInputError } from './exit-codes';
import type { ExecutableHashCache, HashBudget } from './gather/linux/executable-hashes';
import { gatherLinuxSnapshot } from './gather/linux/index';
import { inHostTerms } from './host-terms';

export function assertNativeCollectionSupported(): void {
  if (process.platform === 'linux') return;
  throw new BadInputError(
    `native collection reads Linux /proc and /sys, not ${process.platform}: ` + 'run lsof/netstat/ifconfig/ps there and send their output with `import`',
  );
}

export interface ThisMachineSnapshotOptions {
  /** Traceroute runs finished since the last snapshot, if any. */
  traceroutes?: TracerouteRun[];
  /** The packages section when it is due (PackageSchedule); nothing: the snapshot goes without it. */
  readPackages?: () => Promise<PackageRow[] | null | undefined>;
  secrets?: readonly (string | undefined)[];
  /** Report TCP TIME_WAIT entries too (connections already closed); left out by default. */
  includeTimeWait?: boolean;
  /** Executable digests to use and add to; the process-wide cache when absent. */
  hashCache?: ExecutableHashCache;
  hashBudget?: HashBudget;
}

export async function collectThisMachineSnapshot(options: ThisMachineSnapshotOptions = {}): Promise<Snapshot> {
  assertNativeCollectionSupported();
  const collectedAt = new Date();
  const [gathered, packages] = await Promise.all([
    gatherLinuxSnapshot({ includeTimeWait: options.includeTimeWait, hashCache: options.hashCache, hashBudget: options.hashBudget }),
    options.readPackages?.(),
  ]);
  const body = { ...inHostTerms(gathered), ...(options.traceroutes && { traceroutes: options.traceroutes }), ...(packages && { packages }) };
  return finishSnapshot(body, { collectedAt, secrets: options.secrets });
}
