'use client';
// A table's column widths and header row, from its columns declared as data.
import { SortHeader, type SortState } from '@/components/common/SortHeader';
import type { ColumnHead } from './column';

interface TableHeadProps {
  columns: readonly ColumnHead[];
  sort?: SortState<string> | null;
  onSort?: (next: SortState<string>) => void;
}

export function TableHead({ columns, sort, onSort }: TableHeadProps) {
  return (
    <>
      <colgroup>
        {columns.map((column) => (
          <col key={column.id} className={column.width || undefined} />
        ))}
      </colgroup>
      <thead>
        <tr>
          {columns.map((column) =>
            column.sortValue && sort && onSort ? (
              <SortHeader key={column.id} column={column.id} sort={sort} onSort={onSort}>
                {column.header}
              </SortHeader>
            ) : (
              <th key={column.id} scope="col" title={column.headerTitle}>
                {column.isHeaderHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ),
          )}
        </tr>
      </thead>
    </>
  );
}
