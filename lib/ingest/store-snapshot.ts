// The last write of an ingest, one statement: the snapshot's row, the host's per-section digests,
// and the host itself (latest snapshot, counts, interval). A changed snapshot also keeps its previous
// one as long as itself (its diff needs it), so retention never has to look for previous snapshots.
import { utcTimestamp, type SqlRunner } from '@/lib/db/sql-client';
import type { Snapshot, SnapshotSection } from '@/lib/schemas/snapshot';
import type { HostState } from './host-state';

export interface SnapshotRecord {
  hostId: number;
  seq: number;
  envelope: Pick<Snapshot, 'host' | 'collectedAt' | 'idempotencyKey' | 'collectorVersion' | 'run'>;
  sections: SnapshotSection[];
  changedSections: SnapshotSection[];
  diffSummary: unknown;
  /** YYYY-MM-DD: the snapshot's week. */
  retainUntil: string;
  /** YYYY-MM-DD: the host's rows are kept at least until (the latest of its snapshots' weeks). */
  rowsRetainUntil: string;
  /** Where retention moves a host's latest snapshot this week. */
  firstSurvivingWeek: string;
  hostSections: { section: SnapshotSection; digest: string | null; rowCount: number }[];
  state: HostState;
  intervalSeconds: number | null;
  listenerCount: number | null;
  promiscuousCount: number | null;
  openAlertCount: number | null;
}

export async function storeSnapshotRecord(tx: SqlRunner, record: SnapshotRecord): Promise<string> {
  const previous = record.state.previous;
  const params: unknown[] = [];
  // Always the same text in the same order, so it prepares once per connection.
  const $ = (value: unknown) => `$${params.push(value)}`;
  const host = $(record.hostId);
  const seq = $(record.seq);
  const collectedAt = $(utcTimestamp(new Date(record.envelope.collectedAt)));
  const now = $(utcTimestamp(new Date()));
  const week = $(record.retainUntil);
  const [stored] = await tx.query<{ id: string }>(
    `WITH next AS (
       SELECT nextval(pg_get_serial_sequence('"Snapshot"', 'id')) AS "id"
     ), kept_previous AS (
       UPDATE "Snapshot" SET "retainUntil" = ${week}::date
        WHERE ${$(record.changedSections.length > 0 && previous !== null)}::boolean AND "hostId" = ${host}::int AND "id" = ${$(previous?.id ?? null)}::bigint
          AND "retainUntil" IN (${$(previous?.retainUntil ?? null)}::date, ${$(record.firstSurvivingWeek)}::date) AND "retainUntil" < ${week}::date
     ), sections AS (
       INSERT INTO "HostSection" ("hostId", "section", "digest", "rowCount", "snapshotId", "seq", "collectedAt")
       SELECT ${host}::int, s."section"::"Section", s."digest"::uuid, s."rowCount", (SELECT "id" FROM next), ${seq}::int, ${collectedAt}::timestamp(3)
         FROM json_to_recordset(${$(JSON.stringify(record.hostSections))}::json) AS s("section" text, "digest" text, "rowCount" int)
       ON CONFLICT ("hostId", "section") DO UPDATE SET
         "digest" = EXCLUDED."digest", "rowCount" = EXCLUDED."rowCount", "snapshotId" = EXCLUDED."snapshotId",
         "seq" = EXCLUDED."seq", "collectedAt" = EXCLUDED."collectedAt"
     ), host AS (
       UPDATE "Host" SET
         "os" = COALESCE(${$(record.envelope.host.os ?? null)}::text, "os"),
         "kernel" = COALESCE(${$(record.envelope.host.kernel ?? null)}::text, "kernel"),
         "firstSeenAt" = COALESCE("firstSeenAt", ${now}::timestamp(3)),
         "lastSeenAt" = ${now}::timestamp(3),
         "lastSnapshotId" = (SELECT "id" FROM next),
         "lastSeq" = ${seq}::int,
         "rowsRetainUntil" = ${$(record.rowsRetainUntil)}::date,
         "silentAlertedAt" = NULL,
         "intervalSeconds" = COALESCE(${$(record.intervalSeconds)}::int, "intervalSeconds"),
         "listenerCount" = COALESCE(${$(record.listenerCount)}::int, "listenerCount"),
         "promiscuousCount" = COALESCE(${$(record.promiscuousCount)}::int, "promiscuousCount"),
         "openAlertCount" = COALESCE(${$(record.openAlertCount)}::int, "openAlertCount")
       WHERE "id" = ${host}::int
     )
     INSERT INTO "Snapshot" ("id", "hostId", "seq", "collectedAt", "receivedAt", "idempotencyKey", "collectorVersion", "run",
                             "sections", "changedSections", "diffSummary", "retainUntil")
     VALUES ((SELECT "id" FROM next), ${host}::int, ${seq}::int, ${collectedAt}::timestamp(3), ${now}::timestamp(3),
             ${$(record.envelope.idempotencyKey)}::text, ${$(record.envelope.collectorVersion ?? null)}::text, ${$(jsonOrNull(record.envelope.run))}::jsonb,
             string_to_array(${$(record.sections.join(','))}::text, ',')::"Section"[],
             string_to_array(${$(record.changedSections.join(','))}::text, ',')::"Section"[],
             ${$(record.changedSections.length === 0 ? null : jsonOrNull(record.diffSummary))}::jsonb, ${week}::date)
     RETURNING "id"::text AS "id"`,
    params,
    { statementName: 'sockscope_store_snapshot' },
  );
  if (!stored) throw new Error('the snapshot insert returned no row');
  return stored.id;
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The collector's interval, learnt from the gaps between its snapshots (smoothed, so one late run does not move it much). */
export function learnInterval(current: number, previousCollectedAt: Date, collectedAt: Date): number {
  const gapSeconds = (collectedAt.getTime() - previousCollectedAt.getTime()) / 1000;
  if (!(gapSeconds >= 1 && gapSeconds <= 86_400)) return current;
  return Math.max(1, Math.round(current * 0.7 + gapSeconds * 0.3));
}
