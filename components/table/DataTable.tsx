'use client';
// The inventory table of the host tabs: columns declared as data, a filter over each row's values,
// sorting by any column that has a sort value, a page of rows at a time (RowLimit), the shown rows
// as CSV (formulas neutralised, common/csv.ts), and an empty state that says what to do.
import { useMemo, useState, type ReactNode } from 'react';
import { downloadText, toCsv } from '@/components/common/csv';
import { ShowMoreRows, useRowLimit } from '@/components/common/RowLimit';
import type { SortState } from '@/components/common/SortHeader';
import { buttonClass, inputClass } from '@/components/common/styles';
import type { CellValue } from '@/lib/csv/spreadsheet-cell';
import type { Column } from './column';
import { filterRows, keyRows, sortRows } from './table-rows';
import { TableHead } from './TableHead';
import { EmptyRow, TableRow, type RowProps } from './TableRow';

interface TableFilter<Row> {
  label: string;
  placeholder: string;
  /** Every value the filter text is looked for in, shown or not. */
  values: (row: Row) => readonly CellValue[];
  /** The rows a filter searches when they are not `rows` (a tree lists its folded rows flat). */
  rows?: readonly Row[];
}

interface TableCsv<Row> {
  fileName: string;
  header: readonly string[];
  row: (row: Row) => CellValue[];
}

interface DataTableProps<Row> {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  rowProps?: (row: Row, key: string) => RowProps;
  testId: string;
  /** What the table holds, for screen readers. */
  caption?: string;
  /** Singular and plural of what a row is, for the count beside the filter. */
  noun?: readonly [string, string];
  initialSort?: SortState<string>;
  filter?: TableFilter<Row>;
  csv?: TableCsv<Row>;
  /** More controls at the right of the toolbar. */
  toolbar?: (view: { isFiltered: boolean }) => ReactNode;
  /** Shown when there are no rows at all: why, and what to do. */
  empty: ReactNode;
  noMatch?: ReactNode;
}

export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  rowProps,
  testId,
  caption,
  noun,
  initialSort,
  filter,
  csv,
  toolbar,
  empty,
  noMatch = 'No row matches the filter.',
}: DataTableProps<Row>) {
  const [filterText, setFilterText] = useState('');
  const [sort, setSort] = useState<SortState<string> | null>(initialSort ?? null);
  const limit = useRowLimit();
  const isFiltered = filter !== undefined && filterText.trim() !== '';
  // Memoised on what the caller keeps stable (rows, columns, the filter's functions): a host page re-renders every second.
  const searched = filter?.rows ?? rows;
  const valuesOf = filter?.values;
  const visible = useMemo(
    () => keyRows(sortRows(valuesOf && filterText.trim() ? filterRows(searched, filterText, valuesOf) : rows, columns, sort), rowKey),
    [rows, searched, valuesOf, filterText, columns, sort, rowKey],
  );
  const count = (n: number) => `${n} ${n === 1 ? noun?.[0] : noun?.[1]}`;
  const total = searched.length;

  return (
    <div>
      {(filter || csv || toolbar) && (
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 light:border-slate-200">
          {filter && (
            <label className="text-sm">
              <span className="sr-only">{filter.label}</span>
              <input
                type="search"
                value={filterText}
                onChange={(event) => {
                  setFilterText(event.target.value);
                  limit.reset();
                }}
                placeholder={filter.placeholder}
                className={`${inputClass} w-72`}
                data-testid={`${testId}-filter`}
              />
            </label>
          )}
          {noun && (
            <span className="text-xs text-slate-400 tabular-nums light:text-slate-600" aria-live="polite">
              {isFiltered ? `${visible.length} of ${count(total)}` : count(total)}
            </span>
          )}
          <span className="ml-auto flex items-center gap-2">
            {csv && (
              <button
                type="button"
                className={buttonClass}
                onClick={() =>
                  downloadText(
                    csv.fileName,
                    toCsv(
                      csv.header,
                      visible.map(({ row }) => csv.row(row)),
                    ),
                  )
                }
                disabled={visible.length === 0}
              >
                Export CSV
              </button>
            )}
            {toolbar?.({ isFiltered })}
          </span>
        </div>
      )}
      <table className="data-table table-fixed" data-testid={testId}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <TableHead columns={columns} sort={sort} onSort={setSort} />
        <tbody>
          {visible.slice(0, limit.limit).map(({ row, key, rowKey: reactKey }) => (
            <TableRow key={reactKey} row={row} columns={columns} rowProps={rowProps?.(row, key)} />
          ))}
          <ShowMoreRows shown={Math.min(limit.limit, visible.length)} total={visible.length} onShowMore={limit.showMore} colSpan={columns.length} />
          {visible.length === 0 && <EmptyRow colSpan={columns.length}>{rows.length === 0 ? empty : noMatch}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
