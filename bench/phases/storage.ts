// (6) Storage: bytes the database grows by per unchanged snapshot, over every table and index
// (pg_total_relation_size), after N unchanged snapshots spread over the fleet. A partitioned table
// has no storage of its own: its size is the sum over its week partitions.
import pg from 'pg';
import { runLoad, type Fleet } from '../load-generator';

export const STORAGE_GOAL_BYTES = 1024;

/** The tables an ingest writes; others (alerts of the silent-host check, sessions) are reported apart. */
const INGEST_TABLES = new Set(['Snapshot', 'Host', 'SectionSet', 'Socket', 'Process', 'Interface', 'TracerouteRun', 'TracerouteHop']);

export interface StoragePhaseResult {
  snapshots: number;
  bytesPerSnapshot: number;
  totalDeltaBytes: number;
  perTable: Record<string, number>;
  /** Growth of tables ingest does not write, in the same window (not counted above). */
  otherTables: Record<string, number>;
  /** Average size of one Snapshot row's values (pg_column_size), for comparison with the pages used. */
  snapshotRowBytes: number;
  /**
   * Bytes (heap and indexes) per row of the week partitions this phase wrote to. The growth above can
   * come out lower: a changed snapshot moves its previous one to a later week (kept for its diff),
   * and the earlier, change-heavy phases leave holes that this phase's rows fill.
   */
  snapshotPartitionBytesPerRow: number;
}

async function tableSizes(client: pg.Client): Promise<Map<string, number>> {
  const result = await client.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
  );
  return new Map(result.rows.map((row) => [row.name, Number(row.bytes)]));
}

export async function runStoragePhase(options: { url: string | readonly string[]; databaseUrl: string; fleet: Fleet; snapshots: number; rate: number }): Promise<StoragePhaseResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    // Settle first: a host whose last change was refused under overload (503) would store that
    // change with its next "unchanged" snapshot; one unchanged round brings every host up to date.
    await runLoad(options.fleet, { url: options.url, rate: options.rate, durationS: options.fleet.size / options.rate, changedShare: 0, tag: 'settle' });
    // Dead tuples of earlier phases become free space first, as they would in steady state.
    await client.query('VACUUM');
    const before = await tableSizes(client);
    const [{ max }] = (await client.query<{ max: string | null }>('SELECT max("id")::text AS max FROM "Snapshot"')).rows as [{ max: string | null }];
    const load = await runLoad(options.fleet, { url: options.url, rate: options.rate, durationS: options.snapshots / options.rate, changedShare: 0, tag: 'storage' });
    await client.query('VACUUM');
    const after = await tableSizes(client);
    const perTable: Record<string, number> = {};
    const otherTables: Record<string, number> = {};
    let total = 0;
    for (const [name, bytes] of after) {
      const delta = bytes - (before.get(name) ?? 0);
      if (delta === 0) continue;
      if (INGEST_TABLES.has(name)) {
        perTable[name] = delta;
        total += delta;
      } else {
        otherTables[name] = delta;
      }
    }
    const rowBytes = await client.query<{ avg: string | null }>(`SELECT avg(pg_column_size(s.*))::text AS avg FROM "Snapshot" s WHERE "id" > $1`, [max ?? '0']);
    const density = await client.query<{ perRow: string | null }>(
      `WITH written AS (SELECT DISTINCT tableoid FROM "Snapshot" WHERE "id" > $1)
       SELECT (sum(pg_total_relation_size(w.tableoid)) / (SELECT count(*) FROM "Snapshot" s WHERE s.tableoid IN (SELECT tableoid FROM written)))::text AS "perRow"
         FROM written w`,
      [max ?? '0'],
    );
    return {
      snapshots: load.completed,
      bytesPerSnapshot: total / Math.max(1, load.completed),
      totalDeltaBytes: total,
      perTable,
      otherTables,
      snapshotRowBytes: Number(rowBytes.rows[0]?.avg ?? NaN),
      snapshotPartitionBytesPerRow: Number(density.rows[0]?.perRow ?? NaN),
    };
  } finally {
    await client.end();
  }
}
