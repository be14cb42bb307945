'use client';
// Sockets joined with their owning process and user: sortable, filterable, exportable as CSV.
// Every value is host data, rendered as text.
import { useCallback, useMemo } from 'react';
import { socketsCsvUrl } from '@/components/api/client';
import { safeFileName } from '@/components/common/csv';
import { buttonClass } from '@/components/common/styles';
import { DataTable } from '@/components/table/DataTable';
import { describePlace } from '@/lib/schemas/container-name';
import type { ProcessRow, SocketRow } from '@/lib/schemas/snapshot';
import { NoSockets } from './host-empty-states';
import { socketColumns, socketCsvHeader, socketCsvRow, type SocketVariant } from './socket-columns';

export const socketKey = (socket: SocketRow) =>
  `${socket.proto}|${socket.localAddress}|${socket.localPort}|${socket.remoteAddress}|${socket.remotePort}|${socket.pid}`;

interface SocketTableProps {
  sockets: SocketRow[];
  /** Processes of the same snapshot: each socket's command line comes from its pid. */
  processes: ProcessRow[] | null;
  /** Keys (socketKey) of rows to highlight: listeners that just appeared. */
  highlighted: ReadonlySet<string>;
  testId: string;
  variant: SocketVariant;
  hostName: string;
  snapshotId: string | null;
}

export function SocketTable({ sockets, processes, highlighted, testId, variant, hostName, snapshotId }: SocketTableProps) {
  const argsByPid = useMemo(() => new Map((processes ?? []).map((process) => [process.pid, process.args ?? process.command] as const)), [processes]);
  const argsOf = useCallback((socket: SocketRow) => (socket.pid === null ? null : (argsByPid.get(socket.pid) ?? null)), [argsByPid]);
  // A host with containers or other network namespaces: say where each socket is.
  const showPlace = useMemo(() => sockets.some((socket) => describePlace(socket) !== null), [sockets]);
  const columns = useMemo(() => socketColumns(variant, argsOf, showPlace), [variant, argsOf, showPlace]);
  // The filter looks at every cell the CSV export writes.
  const filterValues = useCallback((socket: SocketRow) => socketCsvRow(socket, argsOf(socket)), [argsOf]);

  return (
    <DataTable
      rows={sockets}
      columns={columns}
      rowKey={socketKey}
      rowProps={(socket, key) => ({ 'data-port': socket.localPort ?? '', className: highlighted.has(key) ? 'bg-emerald-500/15' : undefined })}
      testId={testId}
      noun={['socket', 'sockets']}
      initialSort={{ key: variant === 'listening' ? 'port' : 'remote', direction: 'asc' }}
      filter={{ label: 'Filter sockets', placeholder: 'Filter: port, process, user, address…', values: filterValues }}
      csv={{ fileName: `${safeFileName(hostName)}-${variant}.csv`, header: socketCsvHeader, row: (socket) => socketCsvRow(socket, argsOf(socket)) }}
      toolbar={() =>
        variant === 'listening' &&
        snapshotId && (
          <a
            className={buttonClass}
            href={socketsCsvUrl(hostName, snapshotId)}
            download
            title="Every socket of the snapshot in the WebJob lsof-socket-out2csv table (pipe-delimited)"
          >
            Pipe table (lsof-socket-out2csv)
          </a>
        )
      }
      empty={<NoSockets variant={variant} />}
      noMatch="No socket matches the filter."
    />
  );
}
