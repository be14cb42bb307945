// (2) Storage at real churn: the bytes the database grows by per snapshot of a 400-process, 200-socket
// host posting at the measured churn, over every table ingest writes — each partitioned table with
// all its partitions (the week partitions and `_open`) and their indexes — between two VACUUMs
// around N snapshots spread over the fleet. VACUUM first, so the space earlier phases freed (rows
// moved out of `_open` when they closed) is reused as in steady state.
import pg from 'pg';
import { runLoad, type Fleet } from '../load-generator';

export const STORAGE_GOAL_BYTES = 2048;

/** The tables an ingest writes; others (alerts, sessions) are reported apart. */
const INGEST_TABLES = new Set(['Snapshot', 'Host', 'HostSection', 'Socket', 'Process', 'Interface', 'Package', 'TracerouteRun']);

export interface StoragePhaseResult {
  snapshots: number;
  rowsReplacedPerSnapshot: number;
  bytesPerSnapshot: number;
  /**
   * The same without the `_open` partitions' growth: their live rows stay as many (rows that end leave,
   * new ones come), and the space of the rows that left is reused once VACUUM has freed it, so over
   * time `_open` does not grow with history; within one window it does.
   */
  bytesPerSnapshotWithoutOpen: number;
  /** Growth per row that ended (and its successor that appeared): what one changed row costs. */
  bytesPerReplacedRow: number;
  totalDeltaBytes: number;
  /** Growth per table, in bytes (partitioned tables summed over their partitions). */
  perTable: Record<string, number>;
  /** Of that, the `_open` partitions: rows present now (their space is reused once VACUUM frees the rows that closed). */
  openPartitions: number;
  /** Growth per relation kind over all partitions, e.g. "Socket week heap", "Socket week presence_idx", "Socket_open host_hash_idx" (bytes). */
  perRelation: Record<string, number>;
  /** Growth of tables ingest does not write, in the same window (not counted above). */
  otherTables: Record<string, number>;
}

/** Sizes of the partitions' heaps and indexes, grouped by kind: the week partitions together, `_open` apart. */
async function partitionRelationSizes(client: pg.Client): Promise<Map<string, number>> {
  const result = await client.query<{ name: string; kind: string; bytes: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind, pg_relation_size(c.oid)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'sockscope_partitions' AND c.relkind IN ('r', 'i')`,
  );
  const groups = new Map<string, number>();
  for (const row of result.rows) {
    // Socket_20271129 → "Socket week heap"; Socket_20271129_presence_idx → "Socket week presence_idx"; Socket_open_host_hash_idx → "Socket_open host_hash_idx".
    const match = /^([A-Za-z]+)_(\d{8}|open)(?:_(.+))?$/.exec(row.name);
    if (!match) continue;
    const [, table, week, index] = match;
    const key = `${table}${week === 'open' ? '_open' : ' week'} ${row.kind === 'r' ? 'heap' : (index ?? 'index')}`;
    groups.set(key, (groups.get(key) ?? 0) + Number(row.bytes));
  }
  return groups;
}

async function relationSizes(client: pg.Client): Promise<{ tables: Map<string, number>; open: number }> {
  const tables = await client.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree(c.oid) t)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
  );
  const open = await client.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'sockscope_partitions' AND c.relkind = 'r' AND c.relname LIKE '%\\_open'`,
  );
  return { tables: new Map(tables.rows.map((row) => [row.name, Number(row.bytes)])), open: Number(open.rows[0]?.bytes ?? 0) };
}

export async function runStoragePhase(options: {
  url: string | readonly string[];
  databaseUrl: string;
  fleet: Fleet;
  snapshots: number;
  rate: number;
}): Promise<StoragePhaseResult> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM');
    const before = await relationSizes(client);
    const relationsBefore = await partitionRelationSizes(client);
    const load = await runLoad(options.fleet, {
      url: options.url,
      rate: options.rate,
      durationS: options.snapshots / options.rate,
      mode: 'delta',
      tag: 'storage',
    });
    await client.query('VACUUM');
    const after = await relationSizes(client);
    const relationsAfter = await partitionRelationSizes(client);
    const perRelation: Record<string, number> = {};
    for (const [key, bytes] of relationsAfter) {
      const delta = bytes - (relationsBefore.get(key) ?? 0);
      if (delta !== 0) perRelation[key] = delta;
    }
    const perTable: Record<string, number> = {};
    const otherTables: Record<string, number> = {};
    let total = 0;
    for (const [name, bytes] of after.tables) {
      const delta = bytes - (before.tables.get(name) ?? 0);
      if (delta === 0) continue;
      if (INGEST_TABLES.has(name)) {
        perTable[name] = delta;
        total += delta;
      } else {
        otherTables[name] = delta;
      }
    }
    const snapshots = Math.max(1, load.completed);
    return {
      snapshots: load.completed,
      rowsReplacedPerSnapshot: load.rowsReplacedPerPost,
      bytesPerSnapshot: total / snapshots,
      bytesPerSnapshotWithoutOpen: (total - (after.open - before.open)) / snapshots,
      bytesPerReplacedRow: total / Math.max(1, load.rowsReplacedPerPost * snapshots),
      totalDeltaBytes: total,
      perTable,
      openPartitions: after.open - before.open,
      perRelation,
      otherTables,
    };
  } finally {
    await client.end();
  }
}
