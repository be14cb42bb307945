'use client';
// "Which hosts listen on a port?" — on the hosts themselves, in containers and namespaces, or both.
import { useEffect, useState } from 'react';
import { searchListeners, type ListenerMatch } from '@/components/api/client';
import { EmptyState } from '@/components/common/EmptyState';
import { inputClass } from '@/components/common/styles';
import { replaceSearchParams } from '@/components/common/url-state';
import type { Column } from '@/components/table/column';
import { textColumn } from '@/components/table/text-column';
import { describeContainer } from '@/lib/schemas/container-name';
import { hostColumn } from './search-columns';
import { SearchForm, SearchPanel } from './SearchPanel';
import { SearchResults, type ResultTable } from './SearchResults';
import { SEARCH_PAGE_SIZE, useSearch } from './use-search';

type Where = '' | 'any' | 'none';
interface ListenerQuestion {
  port: string;
  where: Where;
}

const whereText: Record<Where, string> = { '': '', any: ' in a container or namespace', none: ' on a host itself' };

const place = (row: ListenerMatch) => describeContainer(row.container) ?? (row.netns ? `netns ${row.netns}` : null);

const columns: Column<ListenerMatch>[] = [
  hostColumn('w-[20%]'),
  textColumn('proto', 'Proto', (row) => row.proto, { width: 'w-16' }),
  textColumn('address', 'Address', (row) => row.localAddress, { width: 'w-[14%]' }),
  textColumn('port', 'Port', (row) => row.localPort, { width: 'w-16', className: 'mono tabular-nums' }),
  textColumn('process', 'Process', (row) => row.process),
  textColumn('pid', 'PID', (row) => row.pid, { width: 'w-20', className: 'mono tabular-nums' }),
  textColumn('user', 'User', (row) => row.user, { width: 'w-28' }),
  textColumn('container', 'Container', place, { width: 'w-[18%]', className: 'mono truncate text-xs' }),
];

const listenerTable: ResultTable<ListenerMatch> = {
  testId: 'listener-results',
  noun: ['listener', 'listeners'],
  columns,
  rowKey: (row) => `${row.host}|${row.proto}|${row.localAddress}|${row.localPort}|${row.pid ?? ''}|${row.netns ?? ''}`,
};

const ask = (question: ListenerQuestion, page: number) =>
  searchListeners({ port: Number(question.port), namespace: question.where || undefined, page, pageSize: SEARCH_PAGE_SIZE });

export function ListenerSearch({ initialPort }: { initialPort: string }) {
  const [port, setPort] = useState(initialPort);
  const [where, setWhere] = useState<Where>('');
  const search = useSearch(ask);
  const { run } = search;
  useEffect(() => {
    if (initialPort) void run({ port: initialPort, where: '' });
  }, [initialPort, run]);
  const submit = () => {
    if (!port.trim()) return;
    replaceSearchParams({ port: port.trim() });
    void run({ port: port.trim(), where });
  };
  return (
    <SearchPanel title="Which hosts listen on a port?" id="search-listeners">
      <SearchForm onSearch={submit}>
        <label className="flex items-center gap-2">
          Port
          <input type="number" min={0} max={65535} required value={port} onChange={(event) => setPort(event.target.value)} className={`${inputClass} w-28`} />
        </label>
        <label className="flex items-center gap-2">
          Where
          <select value={where} onChange={(event) => setWhere(event.target.value as Where)} className={inputClass} data-testid="listener-namespace">
            <option value="">hosts and containers</option>
            <option value="any">in any container or namespace</option>
            <option value="none">on the hosts themselves</option>
          </select>
        </label>
      </SearchForm>
      <SearchResults
        search={search}
        table={listenerTable}
        empty={
          <EmptyState title={`No host listens on port ${search.asked?.port ?? port}${whereText[search.asked?.where ?? '']} in its latest snapshot.`}>
            <p>
              Each host is asked as of its latest snapshot: a listener opened since shows once its host reports again, and live under “What was newly exposed?”
              below.
            </p>
          </EmptyState>
        }
      />
    </SearchPanel>
  );
}
