'use client';
// The alert queue: filter by level, kind, host and state; acknowledge, annotate and reopen in
// place. New alerts arrive live at the top; acknowledgements from any screen update rows in place.
// Alerts of one kind on one host close together are one row with a count (group-alerts.ts).
import { useState } from 'react';
import { listAlerts, type AlertView } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { LoadOlder } from '@/components/common/LoadOlder';
import { useNow } from '@/components/common/RelativeTime';
import { replaceSearchParams } from '@/components/common/url-state';
import { useSession } from '@/components/layout/SessionProvider';
import { useLiveList } from '@/components/realtime/use-live-list';
import { TableHead } from '@/components/table/TableHead';
import { EmptyRow } from '@/components/table/TableRow';
import { alertColumns } from './alert-columns';
import { isFiltered, matchesFilters, noAlertFilters, toAlertQuery, toSearchParams, type AlertFilters } from './alert-filters';
import { AlertFilterBar } from './AlertFilterBar';
import { AlertGroupRow } from './AlertGroupRow';
import { AlertRow } from './AlertRow';
import { groupAlerts } from './group-alerts';
import { NoAlerts } from './NoAlerts';
import { canTriage, useTriage } from './use-triage';

export type { AlertFilters } from './alert-filters';

const PAGE_SIZE = 100;

export function AlertsView({ initial, initialFilters }: { initial: AlertView[]; initialFilters: AlertFilters }) {
  const session = useSession();
  const [filters, setFilters] = useState(initialFilters);
  const now = useNow();
  const alerts = useLiveList({
    query: filters,
    initial: { rows: initial },
    paging: 'older',
    pageSize: PAGE_SIZE,
    maxPageSize: 500,
    rowKey: (alert: AlertView) => alert.id,
    load: async (wanted: AlertFilters, at) => ({ rows: await listAlerts({ ...toAlertQuery(wanted), limit: at.pageSize, before: at.before?.id }) }),
    live: {
      alert: (event, list) => {
        if (list.has(event.id)) list.update(event.id, (alert) => ({ ...alert, ...event }));
        else if (matchesFilters(filters, event)) list.add({ ...event, acknowledgedBy: null, acknowledgedAt: null, note: null });
      },
      'alert:ack': (event, list) =>
        list.update(event.id, (alert) => ({
          ...alert,
          state: event.state,
          note: event.note,
          acknowledgedBy: event.state === 'acknowledged' ? event.by : null,
          acknowledgedAt: event.acknowledgedAt,
        })),
    },
  });
  const triageState = useTriage(session, (updated) => alerts.update(updated.id, () => updated));
  const triage = canTriage(session) ? triageState : null;
  const columns = alertColumns(triage !== null);

  const changeFilters = (change: Partial<AlertFilters>) => {
    const next = { ...filters, ...change };
    setFilters(next);
    replaceSearchParams(toSearchParams(next));
  };

  return (
    <section aria-labelledby="alerts-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="alerts-title" className="text-xl font-semibold">
          Alerts
        </h1>
        <AlertFilterBar filters={filters} onChange={changeFilters} />
      </div>
      <div className="panel overflow-x-auto">
        <table className="data-table table-fixed" data-testid="alerts-table">
          <TableHead columns={columns} />
          <tbody>
            {groupAlerts(alerts.rows).map((entry) =>
              entry.kind === 'single' ? (
                <AlertRow
                  key={entry.alert.id}
                  alert={entry.alert}
                  isFresh={alerts.isFresh(entry.alert.id)}
                  now={now}
                  triage={triage}
                  columnCount={columns.length}
                />
              ) : (
                <AlertGroupRow key={entry.key} members={entry.alerts} isFresh={alerts.isFresh} now={now} triage={triage} columnCount={columns.length} />
              ),
            )}
            {alerts.rows.length === 0 && (
              <EmptyRow colSpan={columns.length}>
                <NoAlerts isFiltered={isFiltered(filters)} onClearFilters={() => changeFilters(noAlertFilters)} />
              </EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      <FailureMessage message={alerts.failure && `Could not load alerts: ${alerts.failure}`} />
      <LoadOlder hasOlder={alerts.hasOlder} onLoad={alerts.loadOlder}>
        Load older alerts
      </LoadOlder>
    </section>
  );
}
