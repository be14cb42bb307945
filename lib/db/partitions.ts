// The week partitions of the tables partitioned by "retainUntil" (prisma/migrations/003 and 004):
// one per table and week [Monday, next Monday), in their own schema so that `public` holds only the
// parent tables, named like Snapshot_20261116, plus one `_open` partition per row table for the rows
// still present (retainUntil = infinity, docs/storage.md). Week partitions are created ahead for the
// weeks ingest targets (at start-up and hourly), on demand when a row finds none, and dropped by
// retention (lib/retention/purge-snapshots.ts); the SQL function that creates them also makes the
// per-partition indexes Prisma cannot declare.
import { toDateText } from '@/lib/retention/retention-weeks';

export const PARTITION_SCHEMA = 'sockscope_partitions';

/** Every partitioned table. */
export const partitionedTables = ['Snapshot', 'Socket', 'Process', 'Interface', 'Package', 'TracerouteRun'] as const;
export type PartitionedTable = (typeof partitionedTables)[number];

/** The row tables: rows with a range of snapshots, and an `_open` partition for those still present. */
export const rowTables = ['Socket', 'Process', 'Interface', 'Package'] as const;
export type RowTable = (typeof rowTables)[number];

/** The retainUntil of a row still present: it lives in its table's `_open` partition. */
export const OPEN_ROWS = 'infinity';

// Arbitrary constant shared by every Sockscope process, apart from the migration lock's.
const PARTITION_LOCK_KEY = '6004799503160660049';

/** Runs one SQL statement that takes no parameters: the driver's exec, or Prisma's $executeRawUnsafe. */
export type RunStatement = (statement: string) => Promise<unknown>;

/** Runs one query with $n parameters and returns its rows. */
export type RunQuery = <Row>(text: string, params: readonly unknown[]) => Promise<Row[]>;

export function partitionName(table: PartitionedTable, week: Date): string {
  return `${table}_${toDateText(week).replaceAll('-', '')}`;
}

/**
 * Creates the missing partitions of these weeks, for every partitioned table, in one statement.
 * Safe when several servers do it at once: an advisory lock makes them take turns, and each
 * partition is created only if it does not exist yet.
 */
export async function ensurePartitions(run: RunStatement, weeks: readonly Date[]): Promise<void> {
  if (weeks.length === 0) return;
  // Dates only, from toDateText: nothing here comes from a request.
  const weekList = weeks.map((week) => `'${toDateText(week)}'`).join(', ');
  await run(`
    DO $ensure_partitions$
    DECLARE
      week date;
    BEGIN
      PERFORM pg_advisory_xact_lock(${PARTITION_LOCK_KEY});
      FOREACH week IN ARRAY ARRAY[${weekList}]::date[] LOOP
        PERFORM "${PARTITION_SCHEMA}"."create_week_partitions"(week);
      END LOOP;
    END
    $ensure_partitions$`);
}

/** The weeks that have a partition of any partitioned table, oldest first. */
export async function listPartitionWeeks(query: RunQuery): Promise<Date[]> {
  const rows = await query<{ week: string }>(
    `SELECT DISTINCT to_date(right(c.relname, 8), 'YYYYMMDD')::text AS "week"
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class parent ON parent.oid = i.inhparent
      WHERE n.nspname = $1 AND parent.relname = ANY($2::text[]) AND c.relname ~ '_[0-9]{8}$'
      ORDER BY 1`,
    [PARTITION_SCHEMA, [...partitionedTables]],
  );
  return rows.map((row) => new Date(`${row.week}T00:00:00.000Z`));
}

/**
 * True when a row found no partition for its week ("no partition of relation ... found for row",
 * SQLSTATE 23514), from the driver or wrapped by Prisma. The schema has no CHECK constraints, so
 * this code means nothing else here.
 */
export function isMissingPartitionError(error: unknown): boolean {
  const candidate = error as {
    code?: string;
    cause?: { code?: string };
    meta?: { code?: string; driverAdapterError?: { cause?: { code?: string } } };
  } | null;
  const codes = [candidate?.code, candidate?.cause?.code, candidate?.meta?.code, candidate?.meta?.driverAdapterError?.cause?.code];
  return codes.includes('23514');
}
