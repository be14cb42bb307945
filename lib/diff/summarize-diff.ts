// Counts for the `diff` realtime event and the fleet page: how much changed, and the two facts
// worth a glance on their own (widened listeners, interfaces that started sniffing).
import { listPromiscuousTransitions } from '@/lib/diff/interface-diff';
import type { DiffSummary, SectionCounts, SectionDiff, SnapshotDiff } from '@/lib/diff/types';

export function summarizeDiff(diff: SnapshotDiff): DiffSummary {
  const promiscuous = listPromiscuousTransitions(diff.interfaces);
  return {
    sockets: countSection(diff.sockets),
    processes: countSection(diff.processes),
    interfaces: countSection(diff.interfaces),
    traceroutes: countSection(diff.traceroutes),
    packages: countSection(diff.packages),
    widened: diff.sockets.changed.filter((row) => row.widened).length,
    promiscuousOn: promiscuous.on,
    promiscuousOff: promiscuous.off,
  };
}

export function isEmptyDiff(diff: SnapshotDiff): boolean {
  return [diff.sockets, diff.processes, diff.interfaces, diff.traceroutes, diff.packages].every(isEmptySection);
}

function countSection(section: SectionDiff<unknown, unknown>): SectionCounts {
  return { added: section.added.length, removed: section.removed.length, changed: section.changed.length };
}

function isEmptySection(section: SectionDiff<unknown, unknown>): boolean {
  return section.added.length === 0 && section.removed.length === 0 && section.changed.length === 0;
}

const noChange = { added: 0, removed: 0, changed: 0 };
/** A snapshot that changed nothing. */
export const emptySummary: DiffSummary = {
  sockets: noChange,
  processes: noChange,
  interfaces: noChange,
  traceroutes: noChange,
  packages: noChange,
  widened: 0,
  promiscuousOn: [],
  promiscuousOff: [],
};
