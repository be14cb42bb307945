// Stores alert candidates in the caller's transaction, in one statement: a repeat of a live alert
// (same host and dedupe key, not yet closed) updates it — last seen, occurrences — instead of
// piling up a new one. Ingest and the silent-host check both record through here.
import type { AlertCandidate } from '@/lib/alerts/rules/evaluate-alerts';
import { utcTimestamp, type SqlRunner } from '@/lib/db/sql-client';
import type { AlertEvent } from '@/lib/realtime/events';

/** At most one live (open or acknowledged) alert per host and subject: the unique key that says so. */
export const liveKeyOf = (hostId: number, dedupeKey: string) => `${hostId}:${dedupeKey}`;

/** An Alert row's fields that an AlertEvent shows. */
interface AlertFields {
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
}

/** As the insert returns them: times in epoch milliseconds and the id as text, which both drivers read alike. */
type StoredAlert = Omit<AlertFields, 'firstSeenAt' | 'lastSeenAt' | 'snapshotId'> & { firstSeenAtMs: number; lastSeenAtMs: number; snapshotId: string | null };

/** `snapshotId`: the snapshot that raised them; null for alerts no snapshot raised (a silent host). */
export async function recordAlerts(
  tx: SqlRunner,
  host: { id: number; name: string },
  candidates: readonly AlertCandidate[],
  snapshotId: string | null,
): Promise<AlertEvent[]> {
  if (candidates.length === 0) return [];
  const records = candidates.map((candidate) => ({ ...candidate, liveKey: liveKeyOf(host.id, candidate.dedupeKey) }));
  const rows = await tx.query<StoredAlert>(
    `INSERT INTO "Alert" ("hostId", "kind", "level", "dedupeKey", "liveKey", "message", "subject", "snapshotId", "firstSeenAt", "lastSeenAt")
     SELECT $1::int, c."kind", c."level", c."dedupeKey", c."liveKey", c."message", c."subject", $2::bigint, $3::timestamp(3), $3::timestamp(3)
       FROM json_to_recordset($4::json) AS c("kind" text, "level" int, "dedupeKey" text, "liveKey" text, "message" text, "subject" jsonb)
     ON CONFLICT ("liveKey") DO UPDATE SET
       "level" = EXCLUDED."level", "message" = EXCLUDED."message", "subject" = EXCLUDED."subject",
       "snapshotId" = EXCLUDED."snapshotId", "lastSeenAt" = EXCLUDED."lastSeenAt", "occurrences" = "Alert"."occurrences" + 1
     RETURNING "id", "kind", "level", "message", "state"::text AS "state", "occurrences", "subject",
               (extract(epoch FROM "firstSeenAt") * 1000)::float8 AS "firstSeenAtMs", (extract(epoch FROM "lastSeenAt") * 1000)::float8 AS "lastSeenAtMs",
               "snapshotId"::text AS "snapshotId"`,
    [host.id, snapshotId, utcTimestamp(new Date()), JSON.stringify(records)],
  );
  return rows.map((row) =>
    toAlertEvent(
      {
        ...row,
        firstSeenAt: new Date(row.firstSeenAtMs),
        lastSeenAt: new Date(row.lastSeenAtMs),
        snapshotId: row.snapshotId === null ? null : BigInt(row.snapshotId),
      },
      host.name,
    ),
  );
}

export async function countOpenAlerts(tx: SqlRunner, hostId: number): Promise<number> {
  const [row] = await tx.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Alert" WHERE "hostId" = $1::int AND "state" = 'open'`, [hostId]);
  return row?.count ?? 0;
}

/** An alert as the dashboards and the forwarders see it. */
export function toAlertEvent(alert: AlertFields, hostName: string): AlertEvent {
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
