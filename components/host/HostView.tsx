'use client';
// One host: what listens, what is connected, what runs, which interfaces — refreshed live when
// the host's collector reports.
import { useCallback, useEffect, useRef, useState } from 'react';
import { RelativeTime, useNow } from '@/components/common/RelativeTime';
import { useHostSubscription, useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import type { HostDetail } from '@/lib/hosts/get-host-detail';
import { SocketTable, socketKey } from './SocketTable';

type Tab = 'listening' | 'established' | 'processes' | 'interfaces';

export function HostView({ initial }: { initial: HostDetail }) {
  const [host, setHost] = useState(initial);
  const [tab, setTab] = useState<Tab>('listening');
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();
  const { resyncToken } = useRealtime();
  const known = useRef(new Set(initial.listeningSockets.map(socketKey)));
  useHostSubscription(initial.name);

  const refresh = useCallback(async () => {
    const response = await fetch(`/api/v1/hosts/${encodeURIComponent(initial.name)}`);
    if (!response.ok) return;
    const next = (await response.json()) as HostDetail;
    const fresh = next.listeningSockets.map(socketKey).filter((key) => !known.current.has(key));
    known.current = new Set(next.listeningSockets.map(socketKey));
    setHost(next);
    if (fresh.length > 0) setHighlighted(new Set(fresh));
  }, [initial.name]);

  useRealtimeEvent('snapshot', (event) => {
    if (event.host === initial.name) void refresh();
  });
  useEffect(() => {
    if (resyncToken > 0) void refresh();
  }, [resyncToken, refresh]);

  const tabs: { id: Tab; label: string; count: number | null }[] = [
    { id: 'listening', label: 'Listening', count: host.listeningSockets.length },
    { id: 'established', label: 'Established', count: host.establishedSockets.length },
    { id: 'processes', label: 'Processes', count: host.processes?.length ?? null },
    { id: 'interfaces', label: 'Interfaces', count: host.interfaces?.length ?? null },
  ];

  return (
    <section aria-labelledby="host-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1">
        <h1 id="host-title" className="mono text-xl font-semibold">
          {host.name}
        </h1>
        <span className="text-sm text-slate-400">{host.os ?? 'unknown OS'}</span>
        <span className="text-sm text-slate-400">
          last snapshot <RelativeTime iso={host.lastSeenAt} now={now} />
        </span>
      </div>
      <div role="tablist" aria-label="Host inventory" className="flex gap-1 border-b border-slate-800 light:border-slate-200">
        {tabs.map((item) => (
          <button
            key={item.id}
            role="tab"
            type="button"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={`panel-${item.id}`}
            onClick={() => setTab(item.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab === item.id ? 'border-sky-400 text-white light:text-slate-900' : 'border-transparent text-slate-400 hover:text-slate-200'}`}
          >
            {item.label} {item.count !== null && <span className="text-xs tabular-nums text-slate-500">{item.count}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="panel overflow-x-auto">
        {tab === 'listening' && <SocketTable sockets={host.listeningSockets} highlighted={highlighted} testId="listening-sockets" />}
        {tab === 'established' && <SocketTable sockets={host.establishedSockets} highlighted={new Set()} testId="established-sockets" />}
        {tab === 'processes' && <ProcessList host={host} />}
        {tab === 'interfaces' && <InterfaceList host={host} />}
      </div>
    </section>
  );
}

function ProcessList({ host }: { host: HostDetail }) {
  if (!host.processes) return <p className="p-4 text-slate-400">Processes were not collected.</p>;
  return (
    <table className="data-table" data-testid="processes">
      <thead>
        <tr>
          <th scope="col">PID</th>
          <th scope="col">PPID</th>
          <th scope="col">User</th>
          <th scope="col">Command</th>
          <th scope="col">Arguments</th>
        </tr>
      </thead>
      <tbody>
        {host.processes.map((process) => (
          <tr key={`${process.pid}-${process.startedAt}`}>
            <td className="mono tabular-nums">{process.pid}</td>
            <td className="mono tabular-nums">{process.ppid ?? '—'}</td>
            <td className="mono">{process.user ?? process.uid ?? '—'}</td>
            <td className="mono">{process.command}</td>
            <td className="mono max-w-xl truncate text-slate-400" title={process.args ?? ''}>
              {process.args ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function InterfaceList({ host }: { host: HostDetail }) {
  if (!host.interfaces) return <p className="p-4 text-slate-400">Interfaces were not collected.</p>;
  return (
    <table className="data-table" data-testid="interfaces">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Flags</th>
          <th scope="col">MTU</th>
          <th scope="col">MAC</th>
          <th scope="col">Addresses</th>
        </tr>
      </thead>
      <tbody>
        {host.interfaces.map((item) => (
          <tr key={item.name} className={item.promiscuous ? 'bg-red-500/10' : ''}>
            <td className="mono">
              {item.name}
              {item.promiscuous && <span className="ml-2 rounded bg-red-600 px-1.5 py-0.5 text-xs text-white">PROMISC</span>}
            </td>
            <td className="mono text-xs">{item.flags.join(' ')}</td>
            <td className="mono tabular-nums">{item.mtu ?? '—'}</td>
            <td className="mono">{item.mac ?? '—'}</td>
            <td className="mono text-xs">{item.addresses.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
