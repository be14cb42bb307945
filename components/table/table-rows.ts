// The rows a DataTable shows: those matching the filter text, in the chosen column's order, each
// with a React key that stays with it when other rows arrive.
import { compareValues, type SortState } from '@/components/common/SortHeader';
import type { CellValue } from '@/lib/csv/spreadsheet-cell';
import type { Column } from './column';

/** Rows with any value containing `text` (case-insensitive); all rows for empty text. */
export function filterRows<Row>(rows: readonly Row[], text: string, valuesOf: (row: Row) => readonly CellValue[]): readonly Row[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter((row) => valuesOf(row).some((value) => value !== null && value !== undefined && String(value).toLowerCase().includes(needle)));
}

export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: SortState<string> | null): readonly Row[] {
  const sortValue = columns.find((column) => column.id === sort?.key)?.sortValue;
  if (!sort || !sortValue) return rows;
  return [...rows].sort((a, b) => compareValues(sortValue(a), sortValue(b), sort.direction));
}

/** `key` of each row, the repeats numbered (`key|1`, …): rows can be alike, as workers sharing one listener. */
export function keyRows<Row>(rows: readonly Row[], keyOf: (row: Row) => string): { row: Row; key: string; rowKey: string }[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const key = keyOf(row);
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    return { row, key, rowKey: repeat === 0 ? key : `${key}|${repeat}` };
  });
}
