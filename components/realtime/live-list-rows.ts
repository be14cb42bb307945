// How a live list's rows change: an arrival, an update in place, older rows, a reload. Pure, so
// useLiveList and its tests share it.

export type RowKey = string | number;

/** A row that arrived live goes on top; an earlier copy of it goes. */
export function withRowAdded<Row>(rows: readonly Row[], row: Row, keyOf: (row: Row) => RowKey): Row[] {
  const key = keyOf(row);
  return [row, ...rows.filter((known) => keyOf(known) !== key)];
}

/** The row with `key` changed in place; the rows as they were when none has it. */
export function withRowUpdated<Row>(rows: readonly Row[], key: RowKey, change: (row: Row) => Row, keyOf: (row: Row) => RowKey): Row[] {
  return rows.map((row) => (keyOf(row) === key ? change(row) : row));
}

/** Older rows after the loaded ones, but none twice (a row may have moved down while loading). */
export function withOlderRows<Row>(rows: readonly Row[], older: readonly Row[], keyOf: (row: Row) => RowKey): Row[] {
  const known = new Set(rows.map(keyOf));
  return [...rows, ...older.filter((row) => !known.has(keyOf(row)))];
}

/** Keys in `after` that `before` did not have: what a reload brought. */
export function arrivedKeys<Row>(before: readonly Row[], after: readonly Row[], keyOf: (row: Row) => RowKey): RowKey[] {
  const known = new Set(before.map(keyOf));
  return after.map(keyOf).filter((key) => !known.has(key));
}

/** How many rows a live reload asks for: all loaded so far and one that may have arrived, at least a page, at most the API's limit. */
export const reloadLimit = (loaded: number, pageSize: number, maxPageSize: number) => Math.min(maxPageSize, Math.max(pageSize, loaded + 1));
