'use client';
// A question's answer: how many rows on how many hosts, the rows (columns as data), other pages,
// and what to try when there is nothing.
import type { ReactNode } from 'react';
import type { ResultPage } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { Pager } from '@/components/common/Pager';
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import type { RowProps } from '@/components/table/TableRow';
import { rowOfHost } from './search-columns';

/** An answer as useSearch (or a live list) holds it. */
interface Answered<Row> {
  result: ResultPage<Row> | null;
  failure: string | null;
  goToPage: (page: number) => void;
}

/** How a question's rows are shown, declared once beside the question. */
export interface ResultTable<Row> {
  testId: string;
  /** Singular and plural of what a row is: "3 listeners on 2 hosts". */
  noun: readonly [string, string];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
}

interface SearchResultsProps<Row> {
  search: Answered<Row>;
  table: ResultTable<Row>;
  /** Default: the row's host as data-host. */
  rowProps?: (row: Row) => RowProps;
  empty: ReactNode;
}

const count = (n: number, [one, many]: readonly [string, string]) => `${n} ${n === 1 ? one : many}`;

export function SearchResults<Row extends { host: string }>({ search, table, rowProps = rowOfHost, empty }: SearchResultsProps<Row>) {
  const { result, failure } = search;
  const { testId, noun, columns, rowKey } = table;
  if (failure) return <FailureMessage message={failure} />;
  if (result === null) return null;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-400 light:text-slate-600 tabular-nums" aria-live="polite" data-testid={`${testId}-summary`}>
        {count(result.total, noun)} on {count(result.hostCount, ['host', 'hosts'])}
      </p>
      <div className="overflow-x-auto rounded border border-slate-800 light:border-slate-200">
        <DataTable rows={result.rows} columns={columns} rowKey={rowKey} rowProps={rowProps} testId={testId} empty={empty} />
      </div>
      <Pager label="Result pages" page={result.page} pageCount={Math.max(1, Math.ceil(result.total / result.pageSize))} onPage={search.goToPage} />
    </div>
  );
}
