'use client';
// "Which hosts run a program?" — by its exact name, or a part of it.
import { useEffect, useState } from 'react';
import { searchProcesses, type ProcessMatch } from '@/components/api/client';
import { EmptyState } from '@/components/common/EmptyState';
import { inputClass } from '@/components/common/styles';
import { replaceSearchParams } from '@/components/common/url-state';
import type { Column } from '@/components/table/column';
import { textColumn } from '@/components/table/text-column';
import { hostColumn } from './search-columns';
import { SearchForm, SearchPanel } from './SearchPanel';
import { SearchResults, type ResultTable } from './SearchResults';
import { SEARCH_PAGE_SIZE, useSearch } from './use-search';

type Match = 'exact' | 'contains';
interface ProcessQuestion {
  command: string;
  match: Match;
}

const columns: Column<ProcessMatch>[] = [
  hostColumn('w-[22%]', 'processes'),
  textColumn('pid', 'PID', (row) => row.pid, { width: 'w-20', className: 'mono tabular-nums' }),
  textColumn('ppid', 'PPID', (row) => row.ppid, { width: 'w-20', className: 'mono tabular-nums' }),
  textColumn('user', 'User', (row) => row.user, { width: 'w-28' }),
  textColumn('command', 'Command', (row) => row.command, { width: 'w-[18%]' }),
  textColumn('args', 'Arguments', (row) => row.args, { className: 'mono truncate text-xs text-slate-400 light:text-slate-600', missing: '' }),
];

const processTable: ResultTable<ProcessMatch> = {
  testId: 'process-results',
  noun: ['process', 'processes'],
  columns,
  rowKey: (row) => `${row.host}|${row.pid}`,
};

const ask = (question: ProcessQuestion, page: number) =>
  searchProcesses({ command: question.command, match: question.match, page, pageSize: SEARCH_PAGE_SIZE });

function NoProcess({ question }: { question: ProcessQuestion | null }) {
  return (
    <EmptyState
      title={`No host runs a process ${question?.match === 'contains' ? 'whose name contains' : 'named'} “${question?.command ?? ''}” in its latest snapshot.`}
    >
      <p>
        The name is the program&apos;s own (<span className="mono">sshd</span>, not its path or arguments)
        {question?.match === 'exact' ? '; “name contains” finds it from a part.' : '.'} Hosts whose processes were not collected are not asked.
      </p>
    </EmptyState>
  );
}

export function ProcessSearch({ initialCommand, initialMatch }: { initialCommand: string; initialMatch: Match }) {
  const [command, setCommand] = useState(initialCommand);
  const [match, setMatch] = useState(initialMatch);
  const search = useSearch(ask);
  const { run } = search;
  useEffect(() => {
    if (initialCommand) void run({ command: initialCommand, match: initialMatch });
  }, [initialCommand, initialMatch, run]);
  const submit = () => {
    if (!command.trim()) return;
    replaceSearchParams({ process: command.trim(), match: match === 'exact' ? null : match });
    void run({ command: command.trim(), match });
  };
  return (
    <SearchPanel title="Which hosts run a program?" id="search-processes">
      <SearchForm onSearch={submit}>
        <label className="flex items-center gap-2">
          Process name
          <input
            type="search"
            required
            value={command}
            onChange={(event) => setCommand(event.target.value)}
            className={`${inputClass} w-56`}
            placeholder="e.g. sshd"
          />
        </label>
        <label className="flex items-center gap-2">
          <span className="sr-only">Match</span>
          <select value={match} onChange={(event) => setMatch(event.target.value as Match)} className={inputClass}>
            <option value="exact">exact name</option>
            <option value="contains">name contains</option>
          </select>
        </label>
      </SearchForm>
      <SearchResults search={search} table={processTable} empty={<NoProcess question={search.asked} />} />
    </SearchPanel>
  );
}
