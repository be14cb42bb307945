// Processes: one pid can be two processes over time, so identity is (pid, command) plus the start
// time when known, else the arguments. A reused pid is removed + added, never "changed".
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { diffSection, type SectionRules } from '@/lib/diff/diff-section';
import type { ChangedProcess, ProcessChange, SectionDiff } from '@/lib/diff/types';

const processRules: SectionRules<ProcessRow, ProcessChange> = {
  // NUL cannot occur in snapshot text (the schema refuses it), so it separates key parts safely.
  keyOf: (row) => `${row.pid}\u0000${row.command}`,
  isSameEntity: isSameProcess,
  fields: [
    { name: 'ppid', comparable: (row) => row.ppid },
    { name: 'user', comparable: (row) => row.user },
    { name: 'uid', comparable: (row) => row.uid },
    { name: 'args', comparable: (row) => row.args },
    { name: 'startedAt', comparable: (row) => normalizeTimestamp(row.startedAt), isEqual: hasSameStart },
  ],
};

export function diffProcesses(before: readonly ProcessRow[] | undefined, after: readonly ProcessRow[] | undefined): SectionDiff<ProcessRow, ChangedProcess> {
  return diffSection(before, after, processRules);
}

/** Rows already share pid and command; a known start time decides, else the arguments must match. */
function isSameProcess(before: ProcessRow, after: ProcessRow): boolean {
  if (before.startedAt !== null && before.startedAt === after.startedAt) return true;
  const beforeStart = normalizeTimestamp(before.startedAt);
  const afterStart = normalizeTimestamp(after.startedAt);
  if (beforeStart !== null && afterStart !== null) return beforeStart === afterStart;
  return before.args === after.args;
}

function hasSameStart(before: ProcessRow, after: ProcessRow): boolean {
  return before.startedAt === after.startedAt || normalizeTimestamp(before.startedAt) === normalizeTimestamp(after.startedAt);
}

/** `...:00Z` and `...:00.000+00:00` are one instant; compare instants, not spellings. */
function normalizeTimestamp(timestamp: string | null): number | string | null {
  if (timestamp === null) return null;
  const instant = Date.parse(timestamp);
  return Number.isNaN(instant) ? timestamp : instant;
}
