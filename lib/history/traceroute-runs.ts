// Traceroute runs are events, not state: each belongs to the one snapshot that carried it (by the
// host's snapshot number) and lives in that snapshot's week, its hops in one JSON column.
import type { SqlRunner } from '@/lib/db/sql-client';
import type { TracerouteRun } from '@/lib/schemas/snapshot';

const runJson = `json_build_object(
  'target', r."target", 'targetAddress', r."targetAddress",
  'startedAt', to_char(r."startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'hops', r."hops")`;

/** Stores the runs a snapshot carried; hops keep the contract's shape. */
export async function insertTracerouteRuns(db: SqlRunner, hostId: number, seq: number, retainUntil: string, runs: readonly TracerouteRun[]): Promise<void> {
  if (runs.length === 0) return;
  const records = runs.map((run) => ({ target: run.target, targetAddress: run.targetAddress, startedAt: run.startedAt ?? null, hops: run.hops }));
  await db.query(
    `INSERT INTO "TracerouteRun" ("hostId", "seq", "retainUntil", "target", "targetAddress", "startedAt", "hops")
     SELECT $1::int, $2::int, $3::date, r."target", r."targetAddress", r."startedAt", r."hops"
       FROM json_to_recordset($4::json) AS r("target" text, "targetAddress" text, "startedAt" timestamptz, "hops" jsonb)`,
    [hostId, seq, retainUntil, JSON.stringify(records)],
  );
}

/** The runs carried by the host's snapshot `seq`, in the order they came. */
export async function readTracerouteRunsAt(db: SqlRunner, hostId: number, seq: number): Promise<TracerouteRun[]> {
  const [result] = await db.query<{ runs: string | null }>(
    `SELECT json_agg(${runJson} ORDER BY r."id")::text AS "runs" FROM "TracerouteRun" r WHERE r."hostId" = $1::int AND r."seq" = $2::int`,
    [hostId, seq],
    // Planned once per connection. Every week is searched: a run can sit in an earlier week than its
    // snapshot, whose week is raised when the next snapshot changes something (store-snapshot.ts).
    { statementName: 'sockscope_runs_at' },
  );
  return JSON.parse(result?.runs ?? '[]') as TracerouteRun[];
}

/** For each target, the latest run before the host's snapshot `seq` (what a new run is compared with). */
export async function readLatestRunsBefore(db: SqlRunner, hostId: number, seq: number, targets: readonly string[]): Promise<TracerouteRun[]> {
  if (targets.length === 0) return [];
  const [result] = await db.query<{ runs: string | null }>(
    `SELECT json_agg(latest."run")::text AS "runs"
       FROM unnest($3::text[]) AS t("target")
       CROSS JOIN LATERAL (
         SELECT ${runJson} AS "run" FROM "TracerouteRun" r
          WHERE r."hostId" = $1::int AND r."target" = t."target" AND r."seq" < $2::int
          ORDER BY r."startedAt" DESC NULLS LAST, r."id" DESC
          LIMIT 1
       ) latest`,
    [hostId, seq, [...new Set(targets)]],
  );
  return JSON.parse(result?.runs ?? '[]') as TracerouteRun[];
}
