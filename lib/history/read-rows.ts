// Reads the row history back (docs/storage.md). A row is present in its host's snapshot number
// `seq` when openedSeq <= seq < closedSeq (closedSeq null: still present). Rows still present are
// in each table's `_open` partition, found by (hostId, openedSeq); closed ones in week partitions,
// found by the GiST index on (hostId, openedSeq, closedSeq) — so both a whole snapshot and the
// changes between two snapshots cost what they return, not the host's history.
import { OPEN_ROWS } from '@/lib/db/partitions';
import type { SqlRunner } from '@/lib/db/sql-client';
import type { RowOf, RowSection } from '@/lib/schemas/row-hash';
import { rowJsonOf, tableOf, toSnapshotRows } from './row-tables';

const OPEN = `'${OPEN_ROWS}'::date`;

async function readJsonRows<S extends RowSection>(db: SqlRunner, section: S, query: string, params: unknown[]): Promise<RowOf[S][]> {
  const [result] = await db.query<{ rows: string | null }>(query, params);
  return toSnapshotRows(section, JSON.parse(result?.rows ?? '[]') as unknown[][]);
}

/** The rows of one section present in the host's snapshot `seq`, in the order they were stored. */
export function readRowsAt<S extends RowSection>(db: SqlRunner, section: S, hostId: number, seq: number): Promise<RowOf[S][]> {
  const table = tableOf(section);
  return readJsonRows(
    db,
    section,
    `SELECT json_agg(x."row" ORDER BY x."id")::text AS "rows" FROM (
       SELECT r."id", ${rowJsonOf(section, 'r')} AS "row" FROM "${table}" r
        WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."openedSeq" <= $2::int
       UNION ALL
       SELECT r."id", ${rowJsonOf(section, 'r')} FROM "${table}" r
        WHERE r."hostId" = $1::int AND r."retainUntil" < ${OPEN} AND r."openedSeq" <= $2::int AND r."closedSeq" > $2::int
     ) x`,
    [hostId, seq],
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

export interface RowChangesBetween<Row> {
  /** Present in the later snapshot, not in the earlier. */
  added: Row[];
  /** Present in the earlier snapshot, not in the later. */
  removed: Row[];
}

/**
 * What differs between the host's snapshots `fromSeq` and `toSeq` (either order), from the ranges
 * alone: rows that opened after the earlier one and were still there at the later one, and rows
 * there at the earlier one that closed by the later one. Rows that came and went in between are
 * never read.
 */
export async function readChangesBetween<S extends RowSection>(
  db: SqlRunner,
  section: S,
  hostId: number,
  fromSeq: number,
  toSeq: number,
): Promise<RowChangesBetween<RowOf[S]>> {
  const [earlier, later] = fromSeq <= toSeq ? [fromSeq, toSeq] : [toSeq, fromSeq];
  const table = tableOf(section);
  const row = rowJsonOf(section, 'r');
  const [appeared, disappeared] = await Promise.all([
    readJsonRows(
      db,
      section,
      `SELECT json_agg(x."row" ORDER BY x."id")::text AS "rows" FROM (
         SELECT r."id", ${row} AS "row" FROM "${table}" r
          WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."openedSeq" > $2::int AND r."openedSeq" <= $3::int
         UNION ALL
         SELECT r."id", ${row} FROM "${table}" r
          WHERE r."hostId" = $1::int AND r."retainUntil" < ${OPEN} AND r."openedSeq" > $2::int AND r."openedSeq" <= $3::int AND r."closedSeq" > $3::int
       ) x`,
      [hostId, earlier, later],
    ),
    readJsonRows(
      db,
      section,
      `SELECT json_agg(${row} ORDER BY r."id")::text AS "rows" FROM "${table}" r
        WHERE r."hostId" = $1::int AND r."retainUntil" < ${OPEN} AND r."openedSeq" <= $2::int AND r."closedSeq" > $2::int AND r."closedSeq" <= $3::int`,
      [hostId, earlier, later],
    ),
  ]);
  return fromSeq <= toSeq ? { added: appeared, removed: disappeared } : { added: disappeared, removed: appeared };
}
