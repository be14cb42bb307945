'use client';
// Sockets joined with their owning process and user. Every value is rendered as text.
import type { SocketRow } from '@/lib/schemas/snapshot';

export const socketKey = (socket: SocketRow) =>
  `${socket.proto}|${socket.localAddress}|${socket.localPort}|${socket.remoteAddress}|${socket.remotePort}|${socket.pid}`;

export function SocketTable({ sockets, highlighted, testId }: { sockets: SocketRow[]; highlighted: ReadonlySet<string>; testId: string }) {
  return (
    <table className="data-table table-fixed" data-testid={testId}>
      <colgroup>
        <col className="w-20" />
        <col className="w-[22%]" />
        <col className="w-20" />
        <col className="w-[18%]" />
        <col className="w-32" />
        <col />
        <col className="w-20" />
        <col className="w-28" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Proto</th>
          <th scope="col">Local address</th>
          <th scope="col">Port</th>
          <th scope="col">Remote</th>
          <th scope="col">State</th>
          <th scope="col">Process</th>
          <th scope="col">PID</th>
          <th scope="col">User</th>
        </tr>
      </thead>
      <tbody>
        {sockets.map((socket) => {
          const key = socketKey(socket);
          return (
            <tr key={key} data-port={socket.localPort ?? ''} className={highlighted.has(key) ? 'bg-emerald-500/10 transition-colors' : 'transition-colors'}>
              <td className="mono">{socket.proto}</td>
              <td className="mono truncate" title={socket.localAddress}>
                {socket.localAddress}
              </td>
              <td className="mono tabular-nums">{socket.localPort ?? '*'}</td>
              <td className="mono truncate text-slate-400">
                {socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort ?? '*'}` : '—'}
              </td>
              <td className="mono text-xs">{socket.state ?? '—'}</td>
              <td className="mono truncate" title={socket.process ?? ''} data-testid="socket-process">
                {socket.process ?? <span className="text-slate-500">unknown</span>}
              </td>
              <td className="mono tabular-nums">{socket.pid ?? '—'}</td>
              <td className="mono truncate">{socket.user ?? (socket.uid !== null ? String(socket.uid) : '—')}</td>
            </tr>
          );
        })}
        {sockets.length === 0 && (
          <tr>
            <td colSpan={8} className="py-6 text-center text-slate-400">
              None in the latest snapshot.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
