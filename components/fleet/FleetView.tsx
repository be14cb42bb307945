'use client';
// The fleet: every host with status, counts and a ticking last-seen age. Paging and search run on
// the server; live snapshot events update the rows in place.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RelativeTime, useNow } from '@/components/common/RelativeTime';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { hostStatus } from '@/lib/hosts/host-status';
import type { HostPage, HostSummary } from '@/lib/hosts/list-hosts';
import { HostStatusPill } from './HostStatusPill';

interface FleetViewProps {
  initial: HostPage;
  silentAfterIntervals: number;
}

export function FleetView({ initial, silentAfterIntervals }: FleetViewProps) {
  const [page, setPage] = useState(initial);
  const [search, setSearch] = useState('');
  const [onlyAlerts, setOnlyAlerts] = useState(false);
  const now = useNow();
  const { resyncToken } = useRealtime();
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async (pageNumber: number, query: string, alerts: boolean) => {
    const params = new URLSearchParams({ page: String(pageNumber), pageSize: String(initial.pageSize) });
    if (query) params.set('q', query);
    if (alerts) params.set('alerts', '1');
    const response = await fetch(`/api/v1/hosts?${params}`);
    if (response.ok) setPage((await response.json()) as HostPage);
  }, [initial.pageSize]);

  const scheduleRefetch = useCallback(() => {
    if (refetchTimer.current) return;
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      void load(page.page, search, onlyAlerts);
    }, 500);
  }, [load, page.page, search, onlyAlerts]);

  useEffect(() => {
    const timer = setTimeout(() => void load(1, search, onlyAlerts), 200);
    return () => clearTimeout(timer);
  }, [search, onlyAlerts, load]);

  useEffect(() => {
    if (resyncToken > 0) scheduleRefetch();
  }, [resyncToken, scheduleRefetch]);

  useRealtimeEvent('snapshot', (event) => {
    const known = page.hosts.some((host) => host.name === event.host);
    if (!known) return scheduleRefetch();
    setPage((current) => ({
      ...current,
      hosts: current.hosts.map((host): HostSummary =>
        host.name === event.host
          ? {
              ...host,
              lastSeenAt: new Date().toISOString(),
              listenerCount: event.listenerCount ?? host.listenerCount,
              promiscuousCount: event.promiscuousCount ?? host.promiscuousCount,
            }
          : host,
      ),
    }));
  });
  useRealtimeEvent('alert', scheduleRefetch);
  useRealtimeEvent('alert:ack', scheduleRefetch);

  const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
  return (
    <section aria-labelledby="fleet-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 id="fleet-title" className="text-xl font-semibold">
          Fleet <span className="text-sm font-normal text-slate-400">{page.total} hosts</span>
        </h1>
        <label className="ml-auto text-sm">
          <span className="sr-only">Search hosts</span>
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Search hosts…"
            className="w-64 rounded border border-slate-700 bg-slate-950 px-3 py-1.5 light:border-slate-300 light:bg-white"
          />
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={onlyAlerts} onChange={(event) => setOnlyAlerts(event.target.checked)} />
          With open alerts
        </label>
      </div>
      <div className="panel overflow-x-auto">
        <table className="data-table table-fixed" data-testid="fleet-table">
          <colgroup>
            <col className="w-[28%]" />
            <col className="w-24" />
            <col />
            <col className="w-28" />
            <col className="w-28" />
            <col className="w-32" />
            <col className="w-32" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Status</th>
              <th scope="col">OS</th>
              <th scope="col">Listeners</th>
              <th scope="col">Open alerts</th>
              <th scope="col">Promiscuous</th>
              <th scope="col">Last snapshot</th>
            </tr>
          </thead>
          <tbody>
            {page.hosts.map((host) => (
              <tr key={host.name} data-host={host.name}>
                <td className="truncate">
                  <Link className="link mono" href={`/hosts/${encodeURIComponent(host.name)}`}>
                    {host.name}
                  </Link>
                </td>
                <td>
                  <HostStatusPill status={hostStatus(host.lastSeenAt ? new Date(host.lastSeenAt) : null, host.intervalSeconds, silentAfterIntervals, now)} />
                </td>
                <td className="truncate text-slate-400" title={host.os ?? ''}>
                  {host.os ?? '—'}
                </td>
                <td className="tabular-nums" data-testid="listener-count">
                  {host.listenerCount}
                </td>
                <td className={`tabular-nums ${host.openAlertCount > 0 ? 'font-semibold text-amber-300 light:text-amber-700' : ''}`}>{host.openAlertCount}</td>
                <td className={`tabular-nums ${host.promiscuousCount > 0 ? 'font-semibold text-red-400' : ''}`}>{host.promiscuousCount}</td>
                <td>
                  <RelativeTime iso={host.lastSeenAt} now={now} />
                </td>
              </tr>
            ))}
            {page.hosts.length === 0 && (
              <tr>
                <td colSpan={7} className="py-8 text-center text-slate-400">
                  No hosts yet. Enrol one with <code className="mono">npm run admin -- enroll NAME</code>.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
        <button type="button" disabled={page.page <= 1} onClick={() => void load(page.page - 1, search, onlyAlerts)} className="rounded border border-slate-700 px-3 py-1 disabled:opacity-40">
          Previous
        </button>
        <span className="tabular-nums text-slate-400">
          Page {page.page} of {pageCount}
        </span>
        <button type="button" disabled={page.page >= pageCount} onClick={() => void load(page.page + 1, search, onlyAlerts)} className="rounded border border-slate-700 px-3 py-1 disabled:opacity-40">
          Next
        </button>
      </nav>
    </section>
  );
}
