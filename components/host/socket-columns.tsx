// The socket tables' columns: listening sockets with each one's command line, established ones
// with the remote end and state, and where each socket is when the host has containers.
import type { Column } from '@/components/table/column';
import { textColumn } from '@/components/table/text-column';
import { describePlace } from '@/lib/schemas/container-name';
import type { SocketRow } from '@/lib/schemas/snapshot';

export type SocketVariant = 'listening' | 'established';

const userOf = (socket: SocketRow) => socket.user ?? (socket.uid === null ? null : String(socket.uid));
const remoteOf = (socket: SocketRow) => (socket.remoteAddress === null ? null : `${socket.remoteAddress}:${socket.remotePort ?? '*'}`);

/** `argsOf`: a socket's command line, from its process in the same snapshot. `showPlace`: a Container column. */
export function socketColumns(variant: SocketVariant, argsOf: (socket: SocketRow) => string | null, showPlace: boolean): Column<SocketRow>[] {
  const isListening = variant === 'listening';
  const columns: (Column<SocketRow> | false)[] = [
    textColumn('proto', 'Proto', (socket) => socket.proto, { width: 'w-20', className: 'mono', isSortable: true }),
    textColumn('local', 'Local address', (socket) => socket.localAddress, { width: isListening ? 'w-[18%]' : 'w-[17%]', isSortable: true }),
    textColumn('port', 'Port', (socket) => socket.localPort, { width: 'w-20', className: 'mono tabular-nums', missing: '*', isSortable: true }),
    !isListening &&
      textColumn('remote', 'Remote', remoteOf, { width: 'w-[19%]', className: 'mono truncate text-slate-400 light:text-slate-600', isSortable: true }),
    !isListening && textColumn('state', 'State', (socket) => socket.state, { width: 'w-32', className: 'mono text-xs', isSortable: true }),
    {
      id: 'process',
      header: 'Process',
      width: 'w-[16%]',
      className: 'mono truncate',
      testId: 'socket-process',
      title: (socket) => socket.process ?? '',
      cell: (socket) => socket.process ?? <span className="text-slate-500">unknown</span>,
      sortValue: (socket) => socket.process,
    },
    textColumn('pid', 'PID', (socket) => socket.pid, { width: 'w-20', className: 'mono tabular-nums', isSortable: true }),
    textColumn('user', 'User', userOf, { width: 'w-28', isSortable: true }),
    isListening && textColumn('args', 'Command line', argsOf, { className: 'mono truncate text-xs text-slate-400 light:text-slate-600', isSortable: true }),
    showPlace && {
      id: 'place',
      header: 'Container',
      width: 'w-[16%]',
      className: 'mono truncate text-xs',
      testId: 'socket-place',
      title: (socket) => describePlace(socket) ?? 'the host',
      cell: (socket) => describePlace(socket) ?? <span className="text-slate-500">host</span>,
    },
  ];
  return columns.filter((column) => column !== false);
}

export const socketCsvHeader = [
  'proto',
  'local_address',
  'local_port',
  'remote_address',
  'remote_port',
  'state',
  'process',
  'pid',
  'user',
  'uid',
  'command_line',
  'container_or_namespace',
];

export const socketCsvRow = (socket: SocketRow, args: string | null) => [
  socket.proto,
  socket.localAddress,
  socket.localPort,
  socket.remoteAddress,
  socket.remotePort,
  socket.state,
  socket.process,
  socket.pid,
  socket.user,
  socket.uid,
  args,
  describePlace(socket),
];
