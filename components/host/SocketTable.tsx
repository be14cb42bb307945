'use client';
// Sockets joined with their owning process and user: sortable, filterable, exportable as CSV.
// Every value is host data, rendered as text.
import { useCallback, useMemo, useState } from 'react';
import { downloadText, safeFileName, toCsv } from '@/components/common/csv';
import { ShowMoreRows, useRowLimit } from '@/components/common/RowLimit';
import { compareValues, SortHeader, type SortState } from '@/components/common/SortHeader';
import { buttonClass, inputClass } from '@/components/common/styles';
import { describePlace } from '@/lib/schemas/container-name';
import type { ProcessRow, SocketRow } from '@/lib/schemas/snapshot';

export const socketKey = (socket: SocketRow) =>
  `${socket.proto}|${socket.localAddress}|${socket.localPort}|${socket.remoteAddress}|${socket.remotePort}|${socket.pid}`;

type Column = 'proto' | 'local' | 'port' | 'remote' | 'state' | 'process' | 'pid' | 'user' | 'args';

const sortValue: Record<Column, (socket: SocketRow, args: string | null) => string | number | null> = {
  proto: (socket) => socket.proto,
  local: (socket) => socket.localAddress,
  port: (socket) => socket.localPort,
  remote: (socket) => (socket.remoteAddress === null ? null : `${socket.remoteAddress}:${socket.remotePort ?? ''}`),
  state: (socket) => socket.state,
  process: (socket) => socket.process,
  pid: (socket) => socket.pid,
  user: (socket) => socket.user ?? (socket.uid === null ? null : String(socket.uid)),
  args: (_socket, args) => args,
};

interface SocketTableProps {
  sockets: SocketRow[];
  /** Processes of the same snapshot: each socket's command line comes from its pid. */
  processes: ProcessRow[] | null;
  highlighted: ReadonlySet<string>;
  testId: string;
  variant: 'listening' | 'established';
  hostName: string;
  snapshotId: string | null;
}

export function SocketTable({ sockets, processes, highlighted, testId, variant, hostName, snapshotId }: SocketTableProps) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState<Column>>({ key: variant === 'listening' ? 'port' : 'remote', direction: 'asc' });
  const rows = useRowLimit();
  const argsByPid = useMemo(() => new Map((processes ?? []).map((process) => [process.pid, process.args ?? process.command] as const)), [processes]);
  const argsOf = useCallback((socket: SocketRow) => (socket.pid === null ? null : (argsByPid.get(socket.pid) ?? null)), [argsByPid]);

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matching = needle
      ? sockets.filter((socket) =>
          [socket.proto, socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort, socket.state, socket.process, socket.pid, socket.user, socket.uid, argsOf(socket), describePlace(socket)]
            .some((value) => value !== null && value !== undefined && String(value).toLowerCase().includes(needle)),
        )
      : sockets;
    const sorted = [...matching].sort((a, b) => compareValues(sortValue[sort.key](a, argsOf(a)), sortValue[sort.key](b, argsOf(b)), sort.direction));
    // Several workers can share one listener's key: number the repeats, so a row keeps its key when others arrive.
    const seen = new Map<string, number>();
    return sorted.map((socket) => {
      const key = socketKey(socket);
      const repeat = seen.get(key) ?? 0;
      seen.set(key, repeat + 1);
      return { socket, key, rowKey: `${key}|${repeat}` };
    });
  }, [sockets, filter, sort, argsOf]);

  const exportCsv = () => {
    const header = ['proto', 'local_address', 'local_port', 'remote_address', 'remote_port', 'state', 'process', 'pid', 'user', 'uid', 'command_line', 'container_or_namespace'];
    const csv = toCsv(header, visible.map(({ socket }) => [socket.proto, socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort, socket.state, socket.process, socket.pid, socket.user, socket.uid, argsOf(socket), describePlace(socket)]));
    downloadText(`${safeFileName(hostName)}-${variant}.csv`, csv);
  };

  const isListening = variant === 'listening';
  // A host with containers or other network namespaces: say where each socket is.
  const showPlace = sockets.some((socket) => describePlace(socket) !== null);
  const columnCount = (isListening ? 7 : 8) + (showPlace ? 1 : 0);
  const sortHeader = (column: Column, label: string) => (
    <SortHeader column={column} sort={sort} onSort={setSort}>
      {label}
    </SortHeader>
  );

  return (
    <div>
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 light:border-slate-200">
        <label className="text-sm">
          <span className="sr-only">Filter sockets</span>
          <input type="search" value={filter} onChange={(event) => { setFilter(event.target.value); rows.reset(); }} placeholder="Filter: port, process, user, address…" className={`${inputClass} w-72`} data-testid={`${testId}-filter`} />
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600 tabular-nums" aria-live="polite">
          {visible.length === sockets.length ? `${sockets.length} sockets` : `${visible.length} of ${sockets.length} sockets`}
        </span>
        <span className="ml-auto flex items-center gap-2">
          <button type="button" className={buttonClass} onClick={exportCsv} disabled={visible.length === 0}>
            Export CSV
          </button>
          {isListening && snapshotId && (
            <a className={buttonClass} href={`/api/v1/hosts/${encodeURIComponent(hostName)}/sockets.csv?snapshot=${encodeURIComponent(snapshotId)}`} download title="Every socket of the snapshot in the WebJob lsof-socket-out2csv table (pipe-delimited)">
              Pipe table (lsof-socket-out2csv)
            </a>
          )}
        </span>
      </div>
      <table className="data-table table-fixed" data-testid={testId}>
        <colgroup>
          <col className="w-20" />
          <col className={isListening ? 'w-[18%]' : 'w-[17%]'} />
          <col className="w-20" />
          {!isListening && <col className="w-[19%]" />}
          {!isListening && <col className="w-32" />}
          <col className="w-[16%]" />
          <col className="w-20" />
          <col className="w-28" />
          {isListening && <col />}
          {showPlace && <col className="w-[16%]" />}
        </colgroup>
        <thead>
          <tr>
            {sortHeader('proto', 'Proto')}
            {sortHeader('local', 'Local address')}
            {sortHeader('port', 'Port')}
            {!isListening && sortHeader('remote', 'Remote')}
            {!isListening && sortHeader('state', 'State')}
            {sortHeader('process', 'Process')}
            {sortHeader('pid', 'PID')}
            {sortHeader('user', 'User')}
            {isListening && sortHeader('args', 'Command line')}
            {showPlace && <th scope="col">Container</th>}
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, rows.limit).map(({ socket, key, rowKey }) => {
            const args = argsOf(socket);
            return (
              <tr key={rowKey} data-port={socket.localPort ?? ''} className={highlighted.has(key) ? 'bg-emerald-500/15' : undefined}>
                <td className="mono">{socket.proto}</td>
                <td className="mono truncate" title={socket.localAddress}>
                  {socket.localAddress}
                </td>
                <td className="mono tabular-nums">{socket.localPort ?? '*'}</td>
                {!isListening && (
                  <td className="mono truncate text-slate-400 light:text-slate-600" title={socket.remoteAddress ?? ''}>
                    {socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? '*'}` : '—'}
                  </td>
                )}
                {!isListening && <td className="mono text-xs">{socket.state ?? '—'}</td>}
                <td className="mono truncate" title={socket.process ?? ''} data-testid="socket-process">
                  {socket.process ?? <span className="text-slate-500">unknown</span>}
                </td>
                <td className="mono tabular-nums">{socket.pid ?? '—'}</td>
                <td className="mono truncate">{socket.user ?? (socket.uid !== null ? String(socket.uid) : '—')}</td>
                {isListening && (
                  <td className="mono truncate text-xs text-slate-400 light:text-slate-600" title={args ?? ''}>
                    {args ?? '—'}
                  </td>
                )}
                {showPlace && (
                  <td className="mono truncate text-xs" title={describePlace(socket) ?? 'the host'} data-testid="socket-place">
                    {describePlace(socket) ?? <span className="text-slate-500">host</span>}
                  </td>
                )}
              </tr>
            );
          })}
          <ShowMoreRows shown={Math.min(rows.limit, visible.length)} total={visible.length} onShowMore={rows.showMore} colSpan={columnCount} />
          {visible.length === 0 && (
            <tr>
              <td colSpan={columnCount} className="py-6 text-center text-slate-400 light:text-slate-600">
                {sockets.length === 0 ? 'None in the latest snapshot.' : 'No socket matches the filter.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
