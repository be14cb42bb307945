// Stores alert candidates: a repeat of a live alert (same host and dedupe key, not yet closed)
// updates it — last seen, occurrences — instead of piling up a new one.
import type { Prisma } from '@/lib/generated/prisma/client';
import type { AlertCandidate } from '@/lib/alerts/rules';
import type { AlertEvent } from '@/lib/realtime/events';

export const liveKeyOf = (hostId: number, dedupeKey: string) => `${hostId}:${dedupeKey}`;

export async function recordAlerts(
  tx: Prisma.TransactionClient,
  host: { id: number; name: string },
  candidates: readonly AlertCandidate[],
  snapshotId: bigint | null,
): Promise<AlertEvent[]> {
  const events: AlertEvent[] = [];
  for (const candidate of candidates) {
    const liveKey = liveKeyOf(host.id, candidate.dedupeKey);
    const subject = candidate.subject as Prisma.InputJsonValue;
    const now = new Date();
    const alert = await tx.alert.upsert({
      where: { liveKey },
      create: {
        hostId: host.id,
        kind: candidate.kind,
        level: candidate.level,
        dedupeKey: candidate.dedupeKey,
        liveKey,
        message: candidate.message,
        subject,
        snapshotId,
        firstSeenAt: now,
        lastSeenAt: now,
      },
      update: { level: candidate.level, message: candidate.message, subject, snapshotId, lastSeenAt: now, occurrences: { increment: 1 } },
    });
    events.push(toAlertEvent(alert, host.name));
  }
  return events;
}

export function toAlertEvent(
  alert: {
    id: number;
    kind: string;
    level: number;
    message: string;
    state: AlertEvent['state'];
    occurrences: number;
    subject: unknown;
    firstSeenAt: Date;
    lastSeenAt: Date;
    snapshotId: bigint | null;
  },
  hostName: string,
): AlertEvent {
  return {
    id: alert.id,
    host: hostName,
    kind: alert.kind,
    level: alert.level,
    message: alert.message,
    state: alert.state,
    occurrences: alert.occurrences,
    subject: alert.subject as Record<string, unknown>,
    firstSeenAt: alert.firstSeenAt.toISOString(),
    lastSeenAt: alert.lastSeenAt.toISOString(),
    snapshotId: alert.snapshotId?.toString() ?? null,
  };
}

export async function countOpenAlerts(tx: Prisma.TransactionClient, hostId: number): Promise<number> {
  return tx.alert.count({ where: { hostId, state: 'open' } });
}
