'use client';
// A column header that sorts its table: click (or Enter / Space) toggles ascending / descending.
import type { ReactNode } from 'react';

export type SortDirection = 'asc' | 'desc';
export interface SortState<Key extends string> {
  key: Key;
  direction: SortDirection;
}

export function SortHeader<Key extends string>({
  column,
  sort,
  onSort,
  children,
}: {
  column: Key;
  sort: SortState<Key>;
  onSort: (next: SortState<Key>) => void;
  children: ReactNode;
}) {
  const isActive = sort.key === column;
  const next: SortDirection = isActive && sort.direction === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={isActive ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button
        type="button"
        onClick={() => onSort({ key: column, direction: next })}
        className="inline-flex items-center gap-1 uppercase hover:text-slate-200 light:hover:text-slate-900"
      >
        {children}
        <span aria-hidden className={`w-3 text-[10px] ${isActive ? '' : 'opacity-0'}`}>
          {isActive && sort.direction === 'desc' ? '▼' : '▲'}
        </span>
      </button>
    </th>
  );
}

/** Compares numbers as numbers, text naturally, and puts missing values last in either direction. */
export function compareValues(a: string | number | null | undefined, b: string | number | null | undefined, direction: SortDirection): number {
  if (a === null || a === undefined || a === '') return b === null || b === undefined || b === '' ? 0 : 1;
  if (b === null || b === undefined || b === '') return -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
  return direction === 'asc' ? order : -order;
}
