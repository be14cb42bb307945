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
import type { ListenerMatch } from '@/lib/search/find-listeners-on-port';
import type { PackageMatch } from '@/lib/search/find-packages';
import { describeContainer } from '@/lib/schemas/container-name';
import type { ProcessMatch } from '@/lib/search/find-processes-by-command';
import type { ExposedListener } from '@/lib/search/list-newly-exposed';
import type { ResultPage } from '@/lib/search/paging';

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
      <PackageSearch />
      <ProcessSearch initialCommand={initial.command} initialMatch={initial.match} />
      <ExposureList initialMinutes={initial.sinceMinutes} />
    </div>
  );
}

type NamespaceFilter = '' | 'any' | 'none';

function ListenerSearch({ initialPort }: { initialPort: string }) {
  const [port, setPort] = useState(initialPort);
  const [namespace, setNamespace] = useState<NamespaceFilter>('');
  const [answer, setAnswer] = useState<Answer<ListenerMatch>>(null);
  const run = useCallback(async (value: string, page: number, where: NamespaceFilter = '') => {
    replaceSearchParams({ port: value });
    const query: Record<string, string> = { port: value, page: String(page), pageSize: String(PAGE_SIZE) };
    if (where) query.namespace = where;
    setAnswer(await ask<ListenerMatch>('/api/v1/search/listeners', query));
  }, []);
  useEffect(() => {
    if (initialPort) void run(initialPort, 1);
  }, [initialPort, run]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (port.trim()) void run(port.trim(), 1, namespace);
  };
  return (
    <Panel title="Which hosts listen on a port?" id="search-listeners">
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Port
          <input type="number" min={0} max={65535} required value={port} onChange={(event) => setPort(event.target.value)} className={`${inputClass} w-28`} />
        </label>
        <label className="flex items-center gap-2">
          Where
          <select value={namespace} onChange={(event) => setNamespace(event.target.value as NamespaceFilter)} className={inputClass} data-testid="listener-namespace">
            <option value="">hosts and containers</option>
            <option value="any">in any container or namespace</option>
            <option value="none">on the hosts themselves</option>
          </select>
        </label>
        <button type="submit" className={primaryButtonClass}>
          Search
        </button>
      </form>
      <Results
        answer={answer}
        testId="listener-results"
        describe={(page) => `${page.total} ${page.total === 1 ? 'listener' : 'listeners'} on ${page.hostCount} ${page.hostCount === 1 ? 'host' : 'hosts'}`}
        onPage={(page) => void run(port.trim(), page, namespace)}
        columns={['Host', 'Proto', 'Address', 'Port', 'Process', 'PID', 'User', 'Container']}
        widths={['w-[20%]', 'w-16', 'w-[14%]', 'w-16', '', 'w-20', 'w-28', 'w-[18%]']}
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
            <td className="mono truncate text-xs" title={describeContainer(row.container) ?? (row.netns ? `netns ${row.netns}` : '')}>
              {describeContainer(row.container) ?? (row.netns ? `netns ${row.netns}` : '—')}
            </td>
          </tr>
        )}
      />
    </Panel>
  );
}

function PackageSearch() {
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [recentHours, setRecentHours] = useState('');
  const [answer, setAnswer] = useState<Answer<PackageMatch>>(null);
  const run = useCallback(async (query: { name: string; version: string; recentHours: string }, page: number) => {
    const parameters: Record<string, string> = { page: String(page), pageSize: String(PAGE_SIZE), match: 'contains' };
    if (query.name) parameters.name = query.name;
    if (query.version) parameters.version = query.version;
    if (query.recentHours) parameters.appearedWithinMinutes = String(Math.round(Number(query.recentHours) * 60));
    setAnswer(await ask<PackageMatch>('/api/v1/search/packages', parameters));
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() || recentHours) void run({ name: name.trim(), version: version.trim(), recentHours }, 1);
  };
  return (
    <Panel title="Which hosts have a package, or got one lately?" id="search-packages">
      <form onSubmit={submit} className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Package
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="openssl" className={`${inputClass} w-48`} maxLength={256} />
        </label>
        <label className="flex items-center gap-2">
          Version
          <input value={version} onChange={(event) => setVersion(event.target.value)} placeholder="any" className={`${inputClass} w-36`} maxLength={256} />
        </label>
        <label className="flex items-center gap-2">
          Installed or changed in the last
          <select value={recentHours} onChange={(event) => setRecentHours(event.target.value)} className={inputClass}>
            <option value="">(any time: installed now)</option>
            <option value="1">hour</option>
            <option value="24">24 hours</option>
            <option value="168">7 days</option>
          </select>
        </label>
        <button type="submit" className={primaryButtonClass}>
          Search
        </button>
      </form>
      <Results
        answer={answer}
        testId="package-results"
        describe={(page) => `${page.total} ${page.total === 1 ? 'package' : 'packages'} on ${page.hostCount} ${page.hostCount === 1 ? 'host' : 'hosts'}`}
        onPage={(page) => void run({ name: name.trim(), version: version.trim(), recentHours }, page)}
        columns={['Host', 'Package', 'Version', 'Arch', 'Source', 'Appeared']}
        widths={['w-[22%]', 'w-[22%]', '', 'w-20', 'w-16', 'w-44']}
        renderRow={(row, index) => (
          <tr key={`${row.host}-${row.name}-${index}`} data-host={row.host}>
            <td className="truncate">
              <Link className="link mono" href={hostPath(row.host, '?tab=packages')}>
                {row.host}
              </Link>
            </td>
            <td className="mono truncate" title={row.name}>{row.name}</td>
            <td className="mono truncate" title={row.version}>
              {row.version}
              {!row.installed && <span className="ml-2 text-xs text-slate-500">(since removed)</span>}
            </td>
            <td className="mono">{row.arch ?? '—'}</td>
            <td className="mono text-xs">{row.source}</td>
            <td className="text-xs">{row.appearedAt ? formatTimestamp(row.appearedAt) : '—'}</td>
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
