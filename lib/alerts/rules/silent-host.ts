// A host that stops reporting may be down, cut off, or have had its collector killed by an intruder.
import { createCandidate, type AlertCandidate } from '@/lib/alerts/rules/types';

/**
 * The alert once more than `missedIntervals` whole intervals passed since the host was last seen;
 * null while it is on time. Throws RangeError on a non-positive interval or count (a caller bug).
 */
export function silentHostAlert(hostName: string, lastSeen: Date, intervalSeconds: number, missedIntervals: number, now: Date): AlertCandidate | null {
  if (!(intervalSeconds > 0) || !(missedIntervals > 0)) {
    throw new RangeError(`intervalSeconds and missedIntervals must be positive, got ${intervalSeconds} and ${missedIntervals}`);
  }
  const silentSeconds = (now.getTime() - lastSeen.getTime()) / 1000;
  if (silentSeconds <= intervalSeconds * missedIntervals) return null;
  const message = `${hostName}: no snapshot for ${formatDuration(silentSeconds)} (expected every ${formatDuration(intervalSeconds)})`;
  const subject = { hostName, lastSeen: lastSeen.toISOString(), intervalSeconds, missedIntervals, silentSeconds };
  return createCandidate('host.silent', `host.silent:${hostName}`, message, subject, hostName);
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.floor(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} days`;
}
