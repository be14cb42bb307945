// One row of a table whose columns are declared as data.
import type { ComponentPropsWithRef, ReactNode } from 'react';
import type { Column } from './column';

/** Attributes of a row's <tr>: data-* for tests and links, a class for highlighting, a ref. */
export type RowProps = ComponentPropsWithRef<'tr'> & { [data: `data-${string}`]: string | number | undefined };

export function TableRow<Row>({ row, columns, rowProps }: { row: Row; columns: readonly Column<Row>[]; rowProps?: RowProps }) {
  return (
    <tr {...rowProps}>
      {columns.map((column) => (
        <td
          key={column.id}
          className={typeof column.className === 'function' ? column.className(row) : column.className}
          title={column.title?.(row)}
          data-testid={column.testId}
        >
          {column.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/** The one cell of a row that stands for a table with nothing to show: why, and what to do. */
export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="py-6 text-center text-slate-400 light:text-slate-600">
        {children}
      </td>
    </tr>
  );
}
