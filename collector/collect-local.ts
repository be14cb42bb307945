// This machine's snapshot, gathered natively from /proc and /sys.
import type { Snapshot, TracerouteRun } from '../lib/schemas/snapshot';
import { finishSnapshot } from './build-snapshot';
import { BadInputError } from './exit-codes';
import { gatherLinuxSnapshot } from './gather/linux/index';

export function assertNativeCollectionSupported(): void {
  if (process.platform === 'linux') return;
  throw new BadInputError(
    `native collection reads Linux /proc and /sys, not ${process.platform}: ` +
      'run lsof/netstat/ifconfig/ps there and send their output with `import`',
  );
}

export interface LocalSnapshotOptions {
  /** Traceroute runs finished since the last snapshot, if any. */
  traceroutes?: TracerouteRun[];
  secrets?: readonly (string | undefined)[];
}

export async function collectLocalSnapshot(options: LocalSnapshotOptions = {}): Promise<Snapshot> {
  assertNativeCollectionSupported();
  const collectedAt = new Date();
  const gathered = await gatherLinuxSnapshot();
  const body = options.traceroutes ? { ...gathered, traceroutes: options.traceroutes } : gathered;
  return finishSnapshot(body, { collectedAt, secrets: options.secrets });
}
