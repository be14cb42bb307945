// The row writes of one snapshot, in one statement: for each changed section, close the rows that
// went (they move from the `_open` partition to their retention week) and insert the rows that
// came. Unchanged rows are not touched. The same statement reads what the alert rules need to see
// of the state before it (every open listener, every open interface): its CTEs all see the rows
// as they were when it began.
import { OPEN_ROWS } from '@/lib/db/partitions';
import type { SqlRunner } from '@/lib/db/sql-client';
import { insertColumns, recordsetOf, rowJsonOf, rowTableSpecs, tableOf, toSnapshotRows } from '@/lib/history/row-tables';
import { rowSections, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import type { InterfaceRow, SocketRow } from '@/lib/schemas/snapshot';
import { conflict, hasRowChanges, type SectionChange, type SectionChanges } from './section-changes';

export interface WrittenRows {
  /** The rows each section closed, as they were. */
  closed: { [S in RowSection]?: RowOf[S][] };
  /** Every listener open before this snapshot (when sockets changed). */
  previousListeners?: SocketRow[];
  /** Every interface before this snapshot (when interfaces changed). */
  previousInterfaces?: InterfaceRow[];
}

export interface RowWrite {
  hostId: number;
  seq: number;
  /** YYYY-MM-DD: the week a closing row is kept until. */
  closedRowsWeek: string;
  changes: SectionChanges;
}

const OPEN = `'${OPEN_ROWS}'::date`;

export async function writeRowChanges(tx: SqlRunner, write: RowWrite): Promise<WrittenRows> {
  const params: unknown[] = [write.hostId, write.seq, write.closedRowsWeek];
  const parameter = (value: unknown) => `$${params.push(value)}`;
  const ctes: string[] = [];
  const outputs: string[] = [];
  const changedSections: RowSection[] = [];
  for (const section of rowSections) {
    const change = write.changes[section] as SectionChange<unknown> | undefined;
    if (!change || !hasRowChanges(change)) continue;
    changedSections.push(section);
    const table = tableOf(section);
    const spec = rowTableSpecs[section];
    const removed = parameter(change.removed);
    ctes.push(`
      ${section}_wanted AS (
        SELECT w."hash", count(*) AS "copies" FROM unnest(${removed}::uuid[]) AS w("hash") GROUP BY w."hash"
      ), ${section}_victims AS (
        SELECT o."id" FROM (
          SELECT r."id", r."rowHash", row_number() OVER (PARTITION BY r."rowHash" ORDER BY r."id") AS "copy"
            FROM "${table}" r WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."rowHash" = ANY(${removed}::uuid[])
        ) o JOIN ${section}_wanted w ON w."hash" = o."rowHash" WHERE o."copy" <= w."copies"
        UNION ALL
        SELECT r."id" FROM "${table}" r WHERE ${parameter(change.closeUnhashed)}::boolean AND r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."rowHash" IS NULL
      ), ${section}_closed AS (
        UPDATE "${table}" r SET "closedSeq" = $2::int, "retainUntil" = $3::date, "rowHash" = NULL
         WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."id" IN (SELECT "id" FROM ${section}_victims)
        RETURNING r."id", ${rowJsonOf(section, 'r')} AS "row"
      ), ${section}_opened AS (
        INSERT INTO "${table}" ("hostId", "openedSeq", "retainUntil", ${insertColumns(section)
          .map((name) => `"${name}"`)
          .join(', ')})
        SELECT $1::int, $2::int, ${OPEN}, ${insertColumns(section)
          .map((name) => `r."${name}"`)
          .join(', ')}
          FROM ${recordsetOf(section, parameter(JSON.stringify(change.added.map((row, index) => spec.toRecord(row as never, change.addedHashes[index] as string)))))}
        RETURNING 1
      )`);
    outputs.push(
      `(SELECT json_agg(c."row" ORDER BY c."id") FROM ${section}_closed c)::text AS "${section}Closed"`,
      `(SELECT count(*) FROM ${section}_opened)::int AS "${section}Opened"`,
    );
  }
  if (changedSections.length === 0) return { closed: {} };
  const contextOutputs = contextReads(changedSections);
  const [result] = await tx.query<Record<string, string | number | null>>(
    `WITH ${ctes.join(',')} SELECT ${[...outputs, ...contextOutputs].join(', ')}`,
    params,
    {
      // The text depends only on which sections changed: prepared once per connection and combination,
      // so PostgreSQL stops planning it afresh (about 1 ms) for every snapshot.
      statementName: `sockscope_row_writes_${changedSections.join('_')}`,
    },
  );
  if (!result) throw new Error('the row writes returned no row');

  const written: WrittenRows = { closed: {} };
  for (const section of changedSections) {
    const change = write.changes[section] as SectionChange<unknown>;
    const closed = toSnapshotRows(section, JSON.parse((result[`${section}Closed`] as string | null) ?? '[]') as unknown[][]);
    // A delta named a row this host does not have: its base was not what the collector thought.
    if (!change.closeUnhashed && closed.length !== change.removed.length) {
      throw conflict(`${change.removed.length - closed.length} of the ${section} rows to remove are not among this host's current rows.`, section);
    }
    (written.closed as Record<RowSection, unknown[]>)[section] = closed;
  }
  const parseRows = <S extends RowSection>(section: S, key: string) =>
    result[key] === undefined ? undefined : toSnapshotRows(section, JSON.parse((result[key] as string | null) ?? '[]') as unknown[][]);
  const previousListeners = parseRows('sockets', 'previousListeners');
  const previousInterfaces = parseRows('interfaces', 'previousInterfaces');
  if (previousListeners) written.previousListeners = previousListeners;
  if (previousInterfaces) written.previousInterfaces = previousInterfaces;
  return written;
}

/** Reads of the state before the statement, for the alert rules (sockets, interfaces). */
function contextReads(changedSections: readonly RowSection[]): string[] {
  const reads: string[] = [];
  if (changedSections.includes('sockets')) {
    reads.push(`(SELECT json_agg(${rowJsonOf('sockets', 'r')} ORDER BY r."id") FROM "Socket" r
                  WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN} AND r."listening")::text AS "previousListeners"`);
  }
  if (changedSections.includes('interfaces')) {
    reads.push(`(SELECT json_agg(${rowJsonOf('interfaces', 'r')} ORDER BY r."id") FROM "Interface" r
                  WHERE r."hostId" = $1::int AND r."retainUntil" = ${OPEN})::text AS "previousInterfaces"`);
  }
  return reads;
}
