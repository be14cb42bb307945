// Reads the row history back (docs/storage.md). A row is present in its host's snapshot number
// `seq` when openedSeq <= seq < closedSeq (closedSeq null: still present). Rows still present are
// in each table's `_open` partition, found by (hostId, openedSeq); closed ones in week partitions,
// found by the GiST index on (hostId, openedSeq, closedSeq) — so both a whole snapshot and the
// changes between two snapshots cost what they return, not the host's history.
//
// A row is kept at least as long as every snapshot it was present in (docs/storage.md,
// Retention), so the rows present in snapshot `s` all sit in weeks from s.retainUntil on: the reads
// name that bound, and PostgreSQL plans and searches only those week partitions, not all ~55.
import { OPEN_ROWS } from '@/lib/db/partitions';
import type { SqlRunner } from '@/lib/db/sql-client';
import type { RowOf, RowSection } from '@/lib/schemas/row-hash';
import { rowJsonOf, tableOf, toSnapshotRows } from './row-tables';

const OPEN = `'${OPEN_ROWS}'::date`;

/** One of a host's snapshots, as the reads need it: its number and the week it is kept until. */
export interface SnapshotPoint {
  seq: number;
  /** `Snapshot.retainUntil`, `YYYY-MM-DD`: no row present in the snapshot sits in an earlier week. */
  retainUntil: string;
}

async function readJsonRows<S extends RowSection>(db: SqlRunner, section: S, query: string, params: unknown[]): Promise<RowOf[S][]> {
  const [result] = await db.query<{ rows: string | null }>(query, params);
  return toSnapshotRows(section, JSON.parse(result?.rows ?? '[]') as unknown[][]);
}

/** The rows of one section present in the host's snapshot `at`, in the order they were stored. */
export function readRowsAt<S extends RowSection>(db: SqlRunner, section: S, hostId: number, at: SnapshotPoint): Promise<RowOf[S][]> {
  const table = tableOf(section);
  return readJsonRows(
    db,
    section,
    `SELECT json_agg(x."row" ORDER BY x."id")::text AS "rows" FROM (
       SELECT r."id", ${rowJsonOf(section, 'r')} AS "row" FROM "${table}" r
        WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."openedSeq" <= $2::int
       UNION ALL
       SELECT r."id", ${rowJsonOf(section, 'r')} FROM "${table}" r
        WHERE r."hostId" = $1::int AND r."retainUntil" >= $3::date AND r."retainUntil" < ${OPEN} AND r."openedSeq" <= $2::int AND r."closedSeq" > $2::int
     ) x`,
    [hostId, at.seq, at.retainUntil],
  );
}

/** The rows of one section present now (in the host's latest state). */
export function readOpenRows<S extends RowSection>(db: SqlRunner, section: S, hostId: number): Promise<RowOf[S][]> {
  const table = tableOf(section);
  return readJsonRows(
    db,
    section,
    `SELECT json_agg(${rowJsonOf(section, 'r')} ORDER BY r."id")::text AS "rows" FROM "${table}" r
      WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN}`,
    [hostId],
  );
}

/**
 * Whether the host had rows of `section` by its snapshot `at` (for packages, read hourly: whether a
 * package list had come by then). It looks only in the weeks where the rows present at `at` sit,
 * so a list that was empty at `at` counts as none.
 */
export async function hadRowsBy(db: SqlRunner, section: RowSection, hostId: number, at: SnapshotPoint): Promise<boolean> {
  const [result] = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "${tableOf(section)}" r WHERE r."hostId" = $1::int AND r."retainUntil" >= $3::date AND r."openedSeq" <= $2::int) AS "found"`,
    [hostId, at.seq, at.retainUntil],
  );
  return result?.found === true;
}

export interface RowChangesBetween<Row> {
  /** Present in the later snapshot, not in the earlier. */
  added: Row[];
  /** Present in the earlier snapshot, not in the later. */
  removed: Row[];
}

/**
 * What differs between the host's snapshots `from` and `to` (either order), per section, from the
 * ranges alone: rows that opened after the earlier one and were still there at the later one, and
 * rows there at the earlier one that closed by the later one. Rows that came and went in between
 * are never read. One statement per section, both sides in it; the sections in parallel (on
 * PostgreSQL, each on a connection of its own).
 */
export async function readChangesBetween<S extends RowSection>(
  db: SqlRunner,
  sections: readonly S[],
  hostId: number,
  from: SnapshotPoint,
  to: SnapshotPoint,
): Promise<{ [K in S]: RowChangesBetween<RowOf[K]> }> {
  const [earlier, later] = from.seq <= to.seq ? [from, to] : [to, from];
  const params = [hostId, earlier.seq, later.seq, earlier.retainUntil, later.retainUntil];
  const changes = {} as { [K in S]: RowChangesBetween<RowOf[K]> };
  await Promise.all(
    sections.map(async (section) => {
      const [result] = await db.query<{ appeared: string | null; disappeared: string | null }>(changesBetweenSql(section), params);
      const appeared = toSnapshotRows(section, JSON.parse(result?.appeared ?? '[]') as unknown[][]);
      const disappeared = toSnapshotRows(section, JSON.parse(result?.disappeared ?? '[]') as unknown[][]);
      changes[section] = from.seq <= to.seq ? { added: appeared, removed: disappeared } : { added: disappeared, removed: appeared };
    }),
  );
  return changes;
}

/** Both sides of one section's changes. $1 host, $2 earlier seq, $3 later seq, $4 earlier's week, $5 later's week. */
function changesBetweenSql(section: RowSection): string {
  const table = tableOf(section);
  const row = rowJsonOf(section, 'r');
  return `SELECT
     (SELECT json_agg(x."row" ORDER BY x."id") FROM (
        SELECT r."id", ${row} AS "row" FROM "${table}" r
         WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."openedSeq" > $2::int AND r."openedSeq" <= $3::int
        UNION ALL
        SELECT r."id", ${row} FROM "${table}" r
         WHERE r."hostId" = $1::int AND r."retainUntil" >= $5::date AND r."retainUntil" < ${OPEN}
           AND r."openedSeq" > $2::int AND r."openedSeq" <= $3::int AND r."closedSeq" > $3::int
      ) x)::text AS "appeared",
     (SELECT json_agg(${row} ORDER BY r."id") FROM "${table}" r
       WHERE r."hostId" = $1::int AND r."retainUntil" >= $4::date AND r."retainUntil" < ${OPEN}
         AND r."openedSeq" <= $2::int AND r."closedSeq" > $2::int AND r."closedSeq" <= $3::int)::text AS "disappeared"`;
}
