'use client';
// The fleet: every host with status, counts and a ticking last-seen age. Paging, search and
// filters run on the server (10,000 hosts never reach one page); live events update rows in place.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RelativeTime, useNow } from '@/components/common/RelativeTime';
import { buttonClass, chipClass, inputClass } from '@/components/common/styles';
import { hostPath, replaceSearchParams } from '@/components/common/url-state';
import { useCoalesced } from '@/components/common/use-coalesced';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { hostStatus, type HostStatus } from '@/lib/hosts/host-status';
import type { HostPage, HostSummary } from '@/lib/hosts/list-hosts';
import { HostStatusPill } from './HostStatusPill';

export interface FleetFilters {
  q: string;
  status: HostStatus | '';
  label: string;
  promiscuous: boolean;
  alerts: boolean;
}

interface FleetViewProps {
  initial: HostPage;
  initialFilters: FleetFilters;
  labels: string[];
  silentAfterIntervals: number;
}

const statusOptions: { value: FleetFilters['status']; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'fresh', label: 'Fresh' },
  { value: 'late', label: 'Late' },
  { value: 'silent', label: 'Silent' },
  { value: 'never', label: 'Never reported' },
];

function toParams(filters: FleetFilters, page: number, pageSize: number): URLSearchParams {
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (filters.q) params.set('q', filters.q);
  if (filters.status) params.set('status', filters.status);
  if (filters.label) params.set('label', filters.label);
  if (filters.promiscuous) params.set('promiscuous', '1');
  if (filters.alerts) params.set('alerts', '1');
  return params;
}

export function FleetView({ initial, initialFilters, labels, silentAfterIntervals }: FleetViewProps) {
  const [page, setPage] = useState(initial);
  const [filters, setFilters] = useState(initialFilters);
  const now = useNow();
  const { resyncToken } = useRealtime();
  const isFirstFilterRun = useRef(true);
  const latest = useRef({ page: page.page, filters });
  latest.current = { page: page.page, filters };

  const load = useCallback(
    async (pageNumber: number, wanted: FleetFilters) => {
      const response = await fetch(`/api/v1/hosts?${toParams(wanted, pageNumber, initial.pageSize)}`);
      if (response.ok) setPage((await response.json()) as HostPage);
    },
    [initial.pageSize],
  );

  // Bursts of live events (a fleet reporting at once) become one refetch a second.
  const scheduleRefetch = useCoalesced(() => load(latest.current.page, latest.current.filters));

  useEffect(() => {
    if (isFirstFilterRun.current) {
      isFirstFilterRun.current = false;
      return;
    }
    replaceSearchParams({ q: filters.q, status: filters.status, label: filters.label, promiscuous: filters.promiscuous ? '1' : null, alerts: filters.alerts ? '1' : null });
    const timer = setTimeout(() => void load(1, filters), 250);
    return () => clearTimeout(timer);
  }, [filters, load]);

  useEffect(() => {
    if (resyncToken > 0) scheduleRefetch();
  }, [resyncToken, scheduleRefetch]);

  useRealtimeEvent('snapshot', (event) => {
    const known = page.hosts.some((host) => host.name === event.host);
    // A host not on this page matters only if it could join it (room left) — else the counts stay as they are.
    if (!known) {
      if (page.hosts.length < page.pageSize) scheduleRefetch();
      return;
    }
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
  useRealtimeEvent('host:silent', (event) => {
    if (page.hosts.some((host) => host.name === event.host)) scheduleRefetch();
  });

  const update = (change: Partial<FleetFilters>) => setFilters((current) => ({ ...current, ...change }));
  const pageCount = Math.max(1, Math.ceil(page.total / page.pageSize));
  const isFiltered = Boolean(filters.q || filters.status || filters.label || filters.promiscuous || filters.alerts);

  return (
    <section aria-labelledby="fleet-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="fleet-title" className="text-xl font-semibold">
          Fleet{' '}
          <span className="text-sm font-normal text-slate-400 light:text-slate-600 tabular-nums" data-testid="fleet-total">
            {page.total} {page.total === 1 ? 'host' : 'hosts'}
            {isFiltered ? ' match' : ''}
          </span>
        </h1>
        <div role="group" aria-label="Filter hosts" className="ml-auto flex flex-wrap items-center gap-3 text-sm">
          <label>
            <span className="sr-only">Search hosts</span>
            <input type="search" value={filters.q} onChange={(event) => update({ q: event.target.value })} placeholder="Search hosts…" className={`${inputClass} w-56`} />
          </label>
          <label>
            <span className="sr-only">Status</span>
            <select value={filters.status} onChange={(event) => update({ status: event.target.value as FleetFilters['status'] })} className={inputClass}>
              {statusOptions.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">Label</span>
            <select value={filters.label} onChange={(event) => update({ label: event.target.value })} className={`${inputClass} max-w-40`}>
              <option value="">Any label</option>
              {labels.map((label) => (
                <option key={label} value={label}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={filters.promiscuous} onChange={(event) => update({ promiscuous: event.target.checked })} />
            Promiscuous
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={filters.alerts} onChange={(event) => update({ alerts: event.target.checked })} />
            With open alerts
          </label>
        </div>
      </div>
      <div className="panel overflow-x-auto">
        <table className="data-table table-fixed" data-testid="fleet-table">
          <colgroup>
            <col className="w-[30%]" />
            <col className="w-24" />
            <col />
            <col className="w-28" />
            <col className="w-28" />
            <col className="w-36" />
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
              <tr key={host.name} data-host={host.name} className={host.promiscuousCount > 0 ? 'bg-red-500/5' : undefined}>
                <td className="truncate">
                  <Link className="link mono" href={hostPath(host.name)}>
                    {host.name}
                  </Link>
                  {host.labels.map((label) => (
                    <span key={label} className={`${chipClass} ml-2 bg-slate-800 text-slate-300 light:bg-slate-200 light:text-slate-700`}>
                      {label}
                    </span>
                  ))}
                </td>
                <td>
                  <HostStatusPill status={hostStatus(host.lastSeenAt ? new Date(host.lastSeenAt) : null, host.intervalSeconds, silentAfterIntervals, now)} />
                </td>
                <td className="truncate text-slate-400 light:text-slate-600" title={host.os ?? ''}>
                  {host.os ?? '—'}
                </td>
                <td className="tabular-nums" data-testid="listener-count">
                  {host.listenerCount}
                </td>
                <td className={`tabular-nums ${host.openAlertCount > 0 ? 'font-semibold text-amber-300 light:text-amber-700' : ''}`} data-testid="alert-count">
                  {host.openAlertCount > 0 ? (
                    <Link className="hover:underline" href={`/alerts?host=${encodeURIComponent(host.name)}&state=open`}>
                      {host.openAlertCount}
                    </Link>
                  ) : (
                    0
                  )}
                </td>
                <td className={`tabular-nums ${host.promiscuousCount > 0 ? 'font-semibold text-red-400 light:text-red-700' : ''}`} data-testid="promiscuous-count">
                  {host.promiscuousCount > 0 ? (
                    <Link className="hover:underline" href={hostPath(host.name, '?tab=interfaces')}>
                      {host.promiscuousCount}
                    </Link>
                  ) : (
                    0
                  )}
                </td>
                <td>
                  <RelativeTime iso={host.lastSeenAt} now={now} />
                </td>
              </tr>
            ))}
            {page.hosts.length === 0 && (
              <tr>
                <td colSpan={7} className="py-8 text-center text-slate-400 light:text-slate-600">
                  {isFiltered ? (
                    'No host matches these filters.'
                  ) : (
                    <>
                      No hosts yet. Enrol one with <code className="mono">npm run admin -- enroll NAME</code>.
                    </>
                  )}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
        <button type="button" disabled={page.page <= 1} onClick={() => void load(page.page - 1, filters)} className={buttonClass}>
          Previous
        </button>
        <span className="tabular-nums text-slate-400 light:text-slate-600">
          Page {page.page} of {pageCount}
        </span>
        <button type="button" disabled={page.page >= pageCount} onClick={() => void load(page.page + 1, filters)} className={buttonClass}>
          Next
        </button>
      </nav>
    </section>
  );
}
