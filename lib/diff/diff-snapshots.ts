// What changed between two snapshots of one host. Pure and O(n): rows are grouped in Maps by
// identity, never compared all-against-all. The entry point for everything under lib/diff.
import { diffInterfaces } from '@/lib/diff/interface-diff';
import { diffPackages } from '@/lib/diff/package-diff';
import { diffProcesses } from '@/lib/diff/process-diff';
import { diffSockets } from '@/lib/diff/socket-diff';
import { diffTraceroutes } from '@/lib/diff/traceroute-diff';
import type { SnapshotDiff, SnapshotSections } from '@/lib/diff/types';

export type { SnapshotDiff, SnapshotSections } from '@/lib/diff/types';
export { isEmptyDiff, summarizeDiff } from '@/lib/diff/summarize-diff';

/**
 * Row order never matters, and rows that no compared field tells apart count once. A section
 * missing from either side was not collected there: its diff is empty with `collected: false`.
 */
export function diffSnapshots(before: SnapshotSections, after: SnapshotSections): SnapshotDiff {
  return {
    sockets: diffSockets(before.sockets, after.sockets),
    processes: diffProcesses(before.processes, after.processes),
    interfaces: diffInterfaces(before.interfaces, after.interfaces),
    traceroutes: diffTraceroutes(before.traceroutes, after.traceroutes),
    packages: diffPackages(before.packages, after.packages),
  };
}
