'use client';
// The fleet: every host with status, counts and a ticking last-seen age. Paging, search and
// filters run on the server (10,000 hosts never reach one page); live events update rows in place.
import { useState } from 'react';
import { listHosts, type HostPage } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { Pager } from '@/components/common/Pager';
import { useNow } from '@/components/common/RelativeTime';
import { replaceSearchParams } from '@/components/common/url-state';
import { useLiveList } from '@/components/realtime/use-live-list';
import { DataTable } from '@/components/table/DataTable';
import { fleetColumns, type HostSummary } from './fleet-columns';
import { isFiltered, noFleetFilters, toHostQuery, toSearchParams, type FleetFilters } from './fleet-filters';
import { FleetFilterBar } from './FleetFilterBar';
import { NoHosts } from './NoHosts';

export type { FleetFilters } from './fleet-filters';

interface FleetViewProps {
  initial: HostPage;
  initialFilters: FleetFilters;
  labels: string[];
  silentAfterIntervals: number;
}

export function FleetView({ initial, initialFilters, labels, silentAfterIntervals }: FleetViewProps) {
  const [filters, setFilters] = useState(initialFilters);
  const now = useNow();
  const hosts = useLiveList({
    query: filters,
    initial: { rows: initial.hosts, total: initial.total },
    paging: 'pages',
    pageSize: initial.pageSize,
    rowKey: (host: HostSummary) => host.name,
    load: async (wanted: FleetFilters, at) => {
      const page = await listHosts({ ...toHostQuery(wanted), page: at.page, pageSize: at.pageSize });
      return { rows: page.hosts, total: page.total };
    },
    // Bursts of events (a fleet reporting at once) become one reload a second.
    live: {
      snapshot: (event, list) => {
        if (list.has(event.host)) {
          list.update(event.host, (host) => ({
            ...host,
            lastSeenAt: new Date().toISOString(),
            listenerCount: event.listenerCount ?? host.listenerCount,
            promiscuousCount: event.promiscuousCount ?? host.promiscuousCount,
          }));
        } else if (list.rows.length < initial.pageSize) {
          // A host not on this page matters only if it could join it.
          list.scheduleReload();
        }
      },
      alert: (_event, list) => list.scheduleReload(),
      'alert:ack': (_event, list) => list.scheduleReload(),
      'host:silent': (event, list) => list.has(event.host) && list.scheduleReload(),
    },
  });

  const changeFilters = (change: Partial<FleetFilters>) => {
    const next = { ...filters, ...change };
    setFilters(next);
    replaceSearchParams(toSearchParams(next));
  };
  const total = hosts.answer?.total ?? 0;

  return (
    <section aria-labelledby="fleet-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="fleet-title" className="text-xl font-semibold">
          Fleet{' '}
          <span className="text-sm font-normal text-slate-400 light:text-slate-600 tabular-nums" data-testid="fleet-total">
            {total} {total === 1 ? 'host' : 'hosts'}
            {isFiltered(filters) ? ' match' : ''}
          </span>
        </h1>
        <FleetFilterBar filters={filters} labels={labels} onChange={changeFilters} />
      </div>
      <div className="panel overflow-x-auto">
        <DataTable
          rows={hosts.rows}
          columns={fleetColumns(now, silentAfterIntervals)}
          rowKey={(host) => host.name}
          rowProps={(host) => ({
            'data-host': host.name,
            className: hosts.isFresh(host.name) ? 'bg-sky-500/15' : host.promiscuousCount > 0 ? 'bg-red-500/5' : undefined,
          })}
          testId="fleet-table"
          empty={<NoHosts isFiltered={isFiltered(filters)} onClearFilters={() => changeFilters(noFleetFilters)} />}
        />
      </div>
      <FailureMessage message={hosts.failure && `Could not load the fleet: ${hosts.failure}`} />
      <Pager label="Pages" page={hosts.page} pageCount={hosts.pageCount} onPage={hosts.goToPage} isAlwaysShown />
    </section>
  );
}
