// The most common column: one value of host data as text, in a monospace cell cut short with the
// whole value in its tooltip, a dash when missing.
import type { Column } from './column';

type Value = string | number | null | undefined;

interface TextColumnOptions<Row> extends Partial<Pick<Column<Row>, 'width' | 'className' | 'testId' | 'headerTitle'>> {
  /** Sort by this column's value. */
  isSortable?: boolean;
  /** Shown for a missing value (default —). */
  missing?: string;
}

export function textColumn<Row>(id: string, header: string, value: (row: Row) => Value, options: TextColumnOptions<Row> = {}): Column<Row> {
  const { isSortable = false, missing = '—', className = 'mono truncate', ...rest } = options;
  return {
    id,
    header,
    className,
    ...rest,
    title: (row) => {
      const shown = value(row);
      return shown === null || shown === undefined ? undefined : String(shown);
    },
    cell: (row) => value(row) ?? missing,
    sortValue: isSortable ? value : undefined,
  };
}
