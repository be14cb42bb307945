'use client';
// Questions about the whole fleet, answered from each host's latest snapshot: who listens on a
// port, who runs a program, and what was newly exposed lately (live).
import Link from 'next/link';
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { formatTimestamp, RelativeTime, useNow } from '@/components/common/RelativeTime';
import { buttonClass, inputClass, primaryButtonClass } from '@/components/common/styles';
import { hostPath, replaceSearchParams } from '@/components/common/url-state';
import { useCoalesced } from '@/components/common/use-coalesced';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import type { ListenerMatch } from '@/lib/queries/find-listeners-on-port';
import type { ProcessMatch } from '@/lib/queries/find-processes-by-command';
import type { ExposedListener } from '@/lib/queries/list-newly-exposed';
import type { ResultPage } from '@/lib/queries/paging';

const PAGE_SIZE = 50;
const EXPOSURE_KINDS = new Set(['listener.opened', 'listener.widened']);

export interface SearchInitial {
  port: string;
  command: string;
  match: 'exact' | 'contains';
  sinceMinutes: number;
}

type Answer<Row> = { page: ResultPage<Row> } | { failure: string } | null;

async function ask<Row>(path: string, params: Record<string, string>): Promise<Answer<Row>> {
  const response = await fetch(`${path}?${new URLSearchParams(params)}`);
  const body = (await response.json().catch(() => null)) as (ResultPage<Row> & { error?: { message?: string } }) | null;
  if (!response.ok || !body) return { failure: body?.error?.message ?? `The server answered ${response.status}.` };
  return { page: body };
}

export function SearchView({ initial }: { initial: SearchInitial }) {
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Ask the fleet</h1>
      <p className="text-sm text-slate-400 light:text-slate-600">Answers come from each host&apos;s latest snapshot.</p>
      <ListenerSearch initialPort={initial.port} />
      <ProcessSearch initialCommand={initial.command} initialMatch={initial.match} />
      <ExposureList initialMinutes={initial.sinceMinutes} />
    </div>
  );
}

function ListenerSearch({ initialPort }: { initialPort: string }) {
  const [port, setPort] = useState(initialPort);
  const [answer, setAnswer] = useState<Answer<ListenerMatch>>(null);
  const run = useCallback(async (value: string, page: number) => {
    replaceSearchParams({ port: value });
    setAnswer(await ask<ListenerMatch>('/api/v1/search/listeners', { port: value, page: String(page), pageSize: String(PAGE_SIZE) }));
  }, []);
  useEffect(() => {
    if (initialPort) void run(initialPort, 1);
  }, [initialPort, run]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (port.trim()) void run(port.trim(), 1);
  };
  return (
    <Panel title="Which hosts listen on a port?" id="search-listeners">
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Port
          <input type="number" min={0} max={65535} required value={port} onChange={(event) => setPort(event.target.value)} className={`${inputClass} w-28`} />
        </label>
        <button type="submit" className={primaryButtonClass}>
          Search
        </button>
      </form>
      <Results
        answer={answer}
        testId="listener-results"
        describe={(page) => `${page.total} ${page.total === 1 ? 'listener' : 'listeners'} on ${page.hostCount} ${page.hostCount === 1 ? 'host' : 'hosts'}`}
        onPage={(page) => void run(port.trim(), page)}
        columns={['Host', 'Proto', 'Address', 'Port', 'Process', 'PID', 'User']}
        widths={['w-[24%]', 'w-16', 'w-[16%]', 'w-16', '', 'w-20', 'w-28']}
        renderRow={(row, index) => (
          <tr key={`${row.host}-${index}`} data-host={row.host}>
            <td className="truncate">
              <Link className="link mono" href={hostPath(row.host)}>
                {row.host}
              </Link>
            </td>
            <td className="mono">{row.proto}</td>
            <td className="mono truncate" title={row.localAddress}>
              {row.localAddress}
            </td>
            <td className="mono tabular-nums">{row.localPort}</td>
            <td className="mono truncate" title={row.process ?? ''}>
              {row.process ?? '—'}
            </td>
            <td className="mono tabular-nums">{row.pid ?? '—'}</td>
            <td className="mono truncate">{row.user ?? '—'}</td>
          </tr>
        )}
      />
    </Panel>
  );
}

function ProcessSearch({ initialCommand, initialMatch }: { initialCommand: string; initialMatch: 'exact' | 'contains' }) {
  const [command, setCommand] = useState(initialCommand);
  const [match, setMatch] = useState(initialMatch);
  const [answer, setAnswer] = useState<Answer<ProcessMatch>>(null);
  const run = useCallback(async (value: string, how: 'exact' | 'contains', page: number) => {
    replaceSearchParams({ process: value, match: how === 'exact' ? null : how });
    setAnswer(await ask<ProcessMatch>('/api/v1/search/processes', { command: value, match: how, page: String(page), pageSize: String(PAGE_SIZE) }));
  }, []);
  useEffect(() => {
    if (initialCommand) void run(initialCommand, initialMatch, 1);
  }, [initialCommand, initialMatch, run]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (command.trim()) void run(command.trim(), match, 1);
  };
  return (
    <Panel title="Which hosts run a program?" id="search-processes">
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Process name
          <input type="search" required value={command} onChange={(event) => setCommand(event.target.value)} className={`${inputClass} w-56`} placeholder="e.g. sshd" />
        </label>
        <label className="flex items-center gap-2">
          <span className="sr-only">Match</span>
          <select value={match} onChange={(event) => setMatch(event.target.value as 'exact' | 'contains')} className={inputClass}>
            <option value="exact">exact name</option>
            <option value="contains">name contains</option>
          </select>
        </label>
        <button type="submit" className={primaryButtonClass}>
          Search
        </button>
      </form>
      <Results
        answer={answer}
        testId="process-results"
        describe={(page) => `${page.total} ${page.total === 1 ? 'process' : 'processes'} on ${page.hostCount} ${page.hostCount === 1 ? 'host' : 'hosts'}`}
        onPage={(page) => void run(command.trim(), match, page)}
        columns={['Host', 'PID', 'PPID', 'User', 'Command', 'Arguments']}
        widths={['w-[22%]', 'w-20', 'w-20', 'w-28', 'w-[18%]', '']}
        renderRow={(row, index) => (
          <tr key={`${row.host}-${row.pid}-${index}`} data-host={row.host}>
            <td className="truncate">
              <Link className="link mono" href={hostPath(row.host, '?tab=processes')}>
                {row.host}
              </Link>
            </td>
            <td className="mono tabular-nums">{row.pid}</td>
            <td className="mono tabular-nums">{row.ppid ?? '—'}</td>
            <td className="mono truncate">{row.user ?? '—'}</td>
            <td className="mono truncate" title={row.command}>
              {row.command}
            </td>
            <td className="mono truncate text-xs text-slate-400 light:text-slate-600" title={row.args ?? ''}>
              {row.args ?? ''}
            </td>
          </tr>
        )}
      />
    </Panel>
  );
}

function ExposureList({ initialMinutes }: { initialMinutes: number }) {
  const [minutes, setMinutes] = useState(initialMinutes);
  const [page, setPage] = useState(1);
  const [answer, setAnswer] = useState<Answer<ExposedListener>>(null);
  const { resyncToken } = useRealtime();
  const now = useNow();
  const load = useCallback(async () => {
    setAnswer(await ask<ExposedListener>('/api/v1/search/exposed', { sinceMinutes: String(minutes), page: String(page), pageSize: String(PAGE_SIZE) }));
  }, [minutes, page]);
  useEffect(() => {
    void load();
  }, [load, resyncToken]);
  const scheduleLoad = useCoalesced(load);
  useRealtimeEvent('alert', (event) => {
    if (EXPOSURE_KINDS.has(event.kind)) scheduleLoad();
  });
  return (
    <Panel title="What was newly exposed?" id="search-exposed">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Listeners opened or widened in the last
          <select
            value={minutes}
            onChange={(event) => {
              setMinutes(Number(event.target.value));
              setPage(1);
              replaceSearchParams({ since: Number(event.target.value) === 60 ? null : event.target.value });
            }}
            className={inputClass}
          >
            <option value={15}>15 minutes</option>
            <option value={60}>hour</option>
            <option value={360}>6 hours</option>
            <option value={1440}>24 hours</option>
          </select>
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600">(live)</span>
      </div>
      <Results
        answer={answer}
        testId="exposure-results"
        describe={(result) => `${result.total} ${result.total === 1 ? 'listener' : 'listeners'} on ${result.hostCount} ${result.hostCount === 1 ? 'host' : 'hosts'}`}
        onPage={setPage}
        columns={['When', 'Host', 'What', 'Listener', 'Process', 'User', 'State']}
        widths={['w-28', 'w-[18%]', 'w-24', 'w-[22%]', '', 'w-24', 'w-28']}
        renderRow={(row) => (
          <tr key={row.alertId} data-host={row.host} data-alert-id={row.alertId}>
            <td className="text-xs" title={formatTimestamp(row.lastSeenAt)}>
              <RelativeTime iso={row.lastSeenAt} now={now} />
            </td>
            <td className="truncate">
              <Link className="link mono" href={hostPath(row.host)}>
                {row.host}
              </Link>
            </td>
            <td className="text-xs">{row.kind === 'listener.widened' ? 'widened' : 'opened'}</td>
            <td className="mono truncate" title={row.message}>
              {row.proto} {row.localAddress}:{row.localPort ?? '*'}
              {row.previousLocalAddress && <span className="text-xs text-slate-500"> (was {row.previousLocalAddress})</span>}
            </td>
            <td className="mono truncate" title={row.process ?? ''}>
              {row.process ?? '—'}
            </td>
            <td className="mono truncate">{row.user ?? '—'}</td>
            <td className="text-xs">{row.state}</td>
          </tr>
        )}
      />
    </Panel>
  );
}

function Panel({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="panel space-y-3 p-4" data-testid={id}>
      <h2 id={id} className="font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

interface ResultsProps<Row> {
  answer: Answer<Row>;
  testId: string;
  describe(page: ResultPage<Row>): string;
  onPage(page: number): void;
  columns: string[];
  widths: string[];
  renderRow(row: Row, index: number): ReactNode;
}

function Results<Row>({ answer, testId, describe, onPage, columns, widths, renderRow }: ResultsProps<Row>) {
  if (answer === null) return null;
  if ('failure' in answer) return <p role="alert" className="text-sm text-red-400">{answer.failure}</p>;
  const { page } = answer;
  const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-400 light:text-slate-600 tabular-nums" aria-live="polite" data-testid={`${testId}-summary`}>
        {describe(page)}
      </p>
      {page.rows.length > 0 && (
        <div className="overflow-x-auto rounded border border-slate-800 light:border-slate-200">
          <table className="data-table table-fixed" data-testid={testId}>
            <colgroup>
              {widths.map((width, index) => (
                <col key={index} className={width} />
              ))}
            </colgroup>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{page.rows.map(renderRow)}</tbody>
          </table>
        </div>
      )}
      {pageCount > 1 && (
        <nav aria-label="Result pages" className="flex items-center gap-3 text-sm">
          <button type="button" className={buttonClass} disabled={page.page <= 1} onClick={() => onPage(page.page - 1)}>
            Previous
          </button>
          <span className="tabular-nums text-slate-400 light:text-slate-600">
            Page {page.page} of {pageCount}
          </span>
          <button type="button" className={buttonClass} disabled={page.page >= pageCount} onClick={() => onPage(page.page + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
