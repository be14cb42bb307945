// A table column declared as data: its header and width, how a row fills its cell, and (to make it
// sortable) the value rows are ordered by. Cells hold host data: they render it as text, never HTML.
import type { ReactNode } from 'react';

export interface Column<Row> {
  /** Names the column: React key and sort key. */
  id: string;
  header: ReactNode;
  /** The header is for screen readers only (an actions column). */
  isHeaderHidden?: boolean;
  headerTitle?: string;
  /** Tailwind width class; none: the column takes the rest. */
  width?: string;
  cell: (row: Row) => ReactNode;
  /** Class of the cell, or of this row's cell. */
  className?: string | ((row: Row) => string);
  /** The whole value, for a cell cut short (`truncate`). */
  title?: (row: Row) => string | undefined;
  testId?: string;
  /** Makes the column sortable by this value (numbers as numbers, text naturally, missing last). */
  sortValue?: (row: Row) => string | number | null | undefined;
}

/** What a table head needs of a column. */
export type ColumnHead = Pick<Column<never>, 'id' | 'header' | 'isHeaderHidden' | 'headerTitle' | 'width'> & { sortValue?: unknown };
