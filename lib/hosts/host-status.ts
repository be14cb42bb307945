// A host is fresh while snapshots arrive on time, late after two missed intervals, silent after
// SOCKSCOPE_SILENT_AFTER_INTERVALS (a collector that stops may mean an intruder stopped it).
export type HostStatus = 'fresh' | 'late' | 'silent' | 'never';

export function hostStatus(lastSeenAt: Date | null, intervalSeconds: number, silentAfterIntervals: number, now = Date.now()): HostStatus {
  if (!lastSeenAt) return 'never';
  const ageSeconds = (now - lastSeenAt.getTime()) / 1000;
  if (ageSeconds <= intervalSeconds * 2) return 'fresh';
  if (ageSeconds <= intervalSeconds * silentAfterIntervals) return 'late';
  return 'silent';
}
