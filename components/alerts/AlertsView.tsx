'use client';
// The alert queue: filter by level, kind, host and state; acknowledge, annotate and reopen in
// place. New alerts arrive live at the top; acknowledgements from any screen update rows in place.
// Alerts of one kind on one host close together are one row with a count, expandable (group-alerts.ts).
import Link from 'next/link';
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { formatTimestamp, RelativeTime, useNow } from '@/components/common/RelativeTime';
import { buttonClass, inputClass, primaryButtonClass, smallButtonClass } from '@/components/common/styles';
import { hostPath, replaceSearchParams } from '@/components/common/url-state';
import { useSession } from '@/components/layout/SessionProvider';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { readAlertSummary } from '@/lib/alerts/rules/alert-summary';
import type { AlertView } from '@/lib/alerts/list-alerts';
import type { AlertEvent } from '@/lib/realtime/events';
import { AlertLevelBadge, alertKinds, describeKind } from './alert-kinds';
import { AlertSummaryList } from './AlertSummaryList';
import { groupAlerts } from './group-alerts';
import { canTriage, triageAlert, type TriageAction } from './triage';

export interface AlertFilters {
  state: '' | 'open' | 'acknowledged' | 'closed' | 'live';
  minLevel: '' | '5' | '8' | '10' | '12';
  kind: string;
  host: string;
}

const PAGE_SIZE = 100;
/** How long a row that just arrived stays highlighted. */
const FRESH_MS = 8000;

const stateLook: Record<AlertView['state'], string> = {
  open: 'bg-red-500/15 text-red-300 ring-red-500/30 light:text-red-700',
  acknowledged: 'bg-sky-500/15 text-sky-300 ring-sky-500/30 light:text-sky-700',
  closed: 'bg-slate-500/15 text-slate-300 ring-slate-500/30 light:text-slate-600',
};

function toParams(filters: AlertFilters, before?: number): URLSearchParams {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.state) params.set('state', filters.state);
  if (filters.minLevel) params.set('minLevel', filters.minLevel);
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.host.trim()) params.set('host', filters.host.trim());
  if (before) params.set('before', String(before));
  return params;
}

function matchesFilters(filters: AlertFilters, alert: Pick<AlertEvent, 'state' | 'level' | 'kind' | 'host'>): boolean {
  if (filters.state === 'live' ? alert.state === 'closed' : filters.state && alert.state !== filters.state) return false;
  if (filters.minLevel && alert.level < Number(filters.minLevel)) return false;
  if (filters.kind && alert.kind !== filters.kind) return false;
  if (filters.host.trim() && alert.host !== filters.host.trim()) return false;
  return true;
}

export function AlertsView({ initial, initialFilters }: { initial: AlertView[]; initialFilters: AlertFilters }) {
  const session = useSession();
  const mayTriage = canTriage(session);
  const [alerts, setAlerts] = useState(initial);
  const [hasOlder, setHasOlder] = useState(initial.length === PAGE_SIZE);
  const [filters, setFilters] = useState(initialFilters);
  const [freshIds, setFreshIds] = useState<ReadonlySet<number>>(new Set());
  const [busyId, setBusyId] = useState<number | null>(null);
  const [failures, setFailures] = useState<ReadonlyMap<number, string>>(new Map());
  const [editingNoteId, setEditingNoteId] = useState<number | null>(null);
  const [noteDraft, setNoteDraft] = useState('');
  const [expandedGroups, setExpandedGroups] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();
  const { resyncToken } = useRealtime();
  const isFirstFilterRun = useRef(true);

  const load = useCallback(async (wanted: AlertFilters) => {
    const response = await fetch(`/api/v1/alerts?${toParams(wanted)}`);
    if (!response.ok) return;
    const page = ((await response.json()) as { alerts: AlertView[] }).alerts;
    setAlerts(page);
    setHasOlder(page.length === PAGE_SIZE);
  }, []);

  useEffect(() => {
    if (isFirstFilterRun.current) {
      isFirstFilterRun.current = false;
      return;
    }
    replaceSearchParams({ state: filters.state, minLevel: filters.minLevel, kind: filters.kind, host: filters.host.trim() });
    const timer = setTimeout(() => void load(filters), 250);
    return () => clearTimeout(timer);
  }, [filters, load]);

  const latestFilters = useRef(filters);
  latestFilters.current = filters;
  useEffect(() => {
    if (resyncToken > 0) void load(latestFilters.current);
  }, [resyncToken, load]);

  const markFresh = (id: number) => {
    setFreshIds((current) => new Set(current).add(id));
    setTimeout(() => setFreshIds((current) => {
      const next = new Set(current);
      next.delete(id);
      return next;
    }), FRESH_MS);
  };

  useRealtimeEvent('alert', (event) => {
    const isListed = alerts.some((alert) => alert.id === event.id);
    if (isListed) {
      setAlerts((current) => current.map((alert) => (alert.id === event.id ? { ...alert, ...event } : alert)));
      return;
    }
    if (!matchesFilters(filters, event)) return;
    const arrived: AlertView = { ...event, acknowledgedBy: null, acknowledgedAt: null, note: null };
    setAlerts((current) => [arrived, ...current.filter((alert) => alert.id !== event.id)]);
    markFresh(event.id);
  });
  useRealtimeEvent('alert:ack', (event) => {
    setAlerts((current) =>
      current.map((alert) =>
        alert.id === event.id
          ? {
              ...alert,
              state: event.state,
              note: event.note,
              acknowledgedBy: event.state === 'acknowledged' ? event.by : null,
              acknowledgedAt: event.acknowledgedAt,
            }
          : alert,
      ),
    );
  });

  const loadOlder = async () => {
    const last = alerts.at(-1);
    if (!last) return;
    const response = await fetch(`/api/v1/alerts?${toParams(filters, last.id)}`);
    if (!response.ok) return;
    const page = ((await response.json()) as { alerts: AlertView[] }).alerts;
    setAlerts((current) => [...current, ...page.filter((alert) => !current.some((known) => known.id === alert.id))]);
    setHasOlder(page.length === PAGE_SIZE);
  };

  const act = async (alert: AlertView, action: TriageAction, note?: string) => {
    setBusyId(alert.id);
    setFailures((current) => {
      const next = new Map(current);
      next.delete(alert.id);
      return next;
    });
    try {
      const updated = await triageAlert(session, alert.id, action, note);
      setAlerts((current) => current.map((row) => (row.id === updated.id ? updated : row)));
      if (action === 'annotate') setEditingNoteId(null);
    } catch (error) {
      setFailures((current) => new Map(current).set(alert.id, (error as Error).message));
    } finally {
      setBusyId(null);
    }
  };

  const update = (change: Partial<AlertFilters>) => setFilters((current) => ({ ...current, ...change }));
  const columnCount = 7;

  const renderAlert = (alert: AlertView, isInGroup = false) => {
              const isBusy = busyId === alert.id;
              const failure = failures.get(alert.id);
              const summary = readAlertSummary(alert.subject);
              return (
                <Fragment key={alert.id}>
                  <tr data-alert-id={alert.id} data-state={alert.state} data-kind={alert.kind} data-in-group={isInGroup ? 'true' : undefined} className={`transition-colors duration-1000 ${freshIds.has(alert.id) ? 'bg-sky-500/15' : isInGroup ? 'bg-slate-800/30 light:bg-slate-50' : ''}`}>
                    <td>
                      <AlertLevelBadge level={alert.level} />
                    </td>
                    <td className="truncate text-xs" title={alert.kind}>
                      {describeKind(alert.kind)}
                      <div className="mono truncate text-[11px] text-slate-500">{alert.kind}</div>
                    </td>
                    <td className="truncate">
                      <Link className="link mono" href={hostPath(alert.host)}>
                        {alert.host}
                      </Link>
                    </td>
                    <td className="text-sm">
                      <div className="line-clamp-2 break-words" title={alert.message} data-testid="alert-message">
                        {alert.message}
                      </div>
                      {summary && <AlertSummaryList host={alert.host} summary={summary} />}
                      {alert.note && (
                        <div className="mt-0.5 truncate text-xs text-slate-400 light:text-slate-600" data-testid="alert-note" title={alert.note}>
                          Note: {alert.note}
                        </div>
                      )}
                    </td>
                    <td className="text-xs">
                      <span className={`inline-block rounded px-2 py-0.5 ring-1 ${stateLook[alert.state]}`} data-testid="alert-state">
                        {alert.state}
                      </span>
                      {alert.state === 'acknowledged' && alert.acknowledgedBy && <div className="mt-0.5 truncate text-slate-500">by {alert.acknowledgedBy}</div>}
                    </td>
                    <td className="text-xs" title={`first ${formatTimestamp(alert.firstSeenAt)}, last ${formatTimestamp(alert.lastSeenAt)}`}>
                      <RelativeTime iso={alert.lastSeenAt} now={now} />
                      {alert.occurrences > 1 && <div className="text-slate-500 tabular-nums">×{alert.occurrences}</div>}
                    </td>
                    {mayTriage && (
                      <td>
                        <span className="flex flex-wrap gap-1">
                          {alert.state === 'open' ? (
                            <button type="button" className={smallButtonClass} disabled={isBusy} onClick={() => void act(alert, 'acknowledge')}>
                              Acknowledge
                            </button>
                          ) : (
                            <button type="button" className={smallButtonClass} disabled={isBusy} onClick={() => void act(alert, 'reopen')}>
                              Reopen
                            </button>
                          )}
                          <button
                            type="button"
                            className={smallButtonClass}
                            aria-expanded={editingNoteId === alert.id}
                            onClick={() => {
                              setEditingNoteId(editingNoteId === alert.id ? null : alert.id);
                              setNoteDraft(alert.note ?? '');
                            }}
                          >
                            Note
                          </button>
                        </span>
                        {failure && (
                          <span role="alert" className="mt-1 block text-xs text-red-400">
                            {failure}
                          </span>
                        )}
                      </td>
                    )}
                  </tr>
                  {mayTriage && editingNoteId === alert.id && (
                    <tr data-note-editor={alert.id}>
                      <td colSpan={columnCount}>
                        <form
                          className="flex items-start gap-2"
                          onSubmit={(event) => {
                            event.preventDefault();
                            void act(alert, 'annotate', noteDraft);
                          }}
                        >
                          <label className="flex-1">
                            <span className="sr-only">Note for alert {alert.id}</span>
                            <textarea value={noteDraft} onChange={(event) => setNoteDraft(event.target.value)} maxLength={4000} rows={2} autoFocus className={`${inputClass} w-full`} placeholder="What did you find? Who owns this?" />
                          </label>
                          <button type="submit" className={primaryButtonClass} disabled={isBusy}>
                            Save note
                          </button>
                          <button type="button" className={buttonClass} onClick={() => setEditingNoteId(null)}>
                            Cancel
                          </button>
                        </form>
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
  };

  const renderGroup = (key: string, members: AlertView[]) => {
    const newest = members[0] as AlertView;
    const oldest = members.at(-1) as AlertView;
    const isExpanded = expandedGroups.has(key);
    const openCount = members.filter((member) => member.state === 'open').length;
    const toggle = () =>
      setExpandedGroups((current) => {
        const next = new Set(current);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      });
    return (
      <Fragment key={key}>
        <tr data-alert-group={newest.kind} data-group-size={members.length} className={members.some((member) => freshIds.has(member.id)) ? 'bg-sky-500/15' : undefined}>
          <td>
            <AlertLevelBadge level={Math.max(...members.map((member) => member.level))} />
          </td>
          <td className="truncate text-xs" title={newest.kind}>
            {describeKind(newest.kind)}
            <div className="mono truncate text-[11px] text-slate-500">{newest.kind}</div>
          </td>
          <td className="truncate">
            <Link className="link mono" href={hostPath(newest.host)}>
              {newest.host}
            </Link>
          </td>
          <td className="text-sm">
            <button type="button" className="link text-left" aria-expanded={isExpanded} onClick={toggle} data-testid="alert-group-toggle">
              {isExpanded ? '▾' : '▸'} {members.length} alerts of this kind within {Math.max(1, Math.round((Date.parse(newest.lastSeenAt) - Date.parse(oldest.lastSeenAt)) / 60_000))} min
            </button>
            <div className="line-clamp-1 break-words text-xs text-slate-400 light:text-slate-600" title={newest.message}>
              latest: {newest.message}
            </div>
          </td>
          <td className="text-xs">{openCount > 0 ? `${openCount} open` : 'none open'}</td>
          <td className="text-xs" title={`${formatTimestamp(oldest.lastSeenAt)} – ${formatTimestamp(newest.lastSeenAt)}`}>
            <RelativeTime iso={newest.lastSeenAt} now={now} />
          </td>
          {mayTriage && (
            <td>
              {openCount > 0 && (
                <button
                  type="button"
                  className={smallButtonClass}
                  onClick={() => void Promise.all(members.filter((member) => member.state === 'open').map((member) => act(member, 'acknowledge')))}
                >
                  Acknowledge {openCount}
                </button>
              )}
            </td>
          )}
        </tr>
        {isExpanded && members.map((member) => renderAlert(member, true))}
      </Fragment>
    );
  };

  return (
    <section aria-labelledby="alerts-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-2">
        <h1 id="alerts-title" className="text-xl font-semibold">
          Alerts
        </h1>
        <div role="group" aria-label="Filter alerts" className="ml-auto flex flex-wrap items-center gap-3 text-sm">
          <label className="flex items-center gap-1.5">
            State
            <select value={filters.state} onChange={(event) => update({ state: event.target.value as AlertFilters['state'] })} className={inputClass}>
              <option value="">All</option>
              <option value="open">Open</option>
              <option value="live">Open or acknowledged</option>
              <option value="acknowledged">Acknowledged</option>
              <option value="closed">Closed</option>
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            Level
            <select value={filters.minLevel} onChange={(event) => update({ minLevel: event.target.value as AlertFilters['minLevel'] })} className={inputClass}>
              <option value="">Any</option>
              <option value="5">5 and up</option>
              <option value="8">8 and up</option>
              <option value="10">10 and up</option>
              <option value="12">12 and up</option>
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            Kind
            <select value={filters.kind} onChange={(event) => update({ kind: event.target.value })} className={inputClass}>
              <option value="">Any</option>
              {alertKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {describeKind(kind)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            Host
            <input type="search" value={filters.host} onChange={(event) => update({ host: event.target.value })} placeholder="exact host name" className={`${inputClass} w-44`} />
          </label>
        </div>
      </div>
      <div className="panel overflow-x-auto">
        <table className="data-table table-fixed" data-testid="alerts-table">
          <colgroup>
            <col className="w-14" />
            <col className="w-36" />
            <col className="w-40" />
            <col />
            <col className="w-36" />
            <col className="w-32" />
            {mayTriage && <col className="w-44" />}
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">Kind</th>
              <th scope="col">Host</th>
              <th scope="col">What happened</th>
              <th scope="col">State</th>
              <th scope="col">Last seen</th>
              {mayTriage && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {groupAlerts(alerts).map((entry) => (entry.kind === 'single' ? renderAlert(entry.alert) : renderGroup(entry.key, entry.alerts)))}
            {alerts.length === 0 && (
              <tr>
                <td colSpan={columnCount} className="py-8 text-center text-slate-400 light:text-slate-600">
                  No alert matches these filters.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {hasOlder && (
        <div className="text-center">
          <button type="button" className={buttonClass} onClick={() => void loadOlder()}>
            Load older alerts
          </button>
        </div>
      )}
    </section>
  );
}
