// The alert queue's filters: as the page and the address bar hold them, as the API asks them, and
// the same test for an alert that arrives live.
import type { AlertQuery } from '@/components/api/client';
import type { AlertEvent } from '@/lib/realtime/events';

export interface AlertFilters {
  state: '' | 'open' | 'acknowledged' | 'closed' | 'live';
  minLevel: '' | '5' | '8' | '10' | '12';
  kind: string;
  host: string;
}

export const noAlertFilters: AlertFilters = { state: '', minLevel: '', kind: '', host: '' };

export const isFiltered = (filters: AlertFilters) => Boolean(filters.state || filters.minLevel || filters.kind || filters.host.trim());

export function toAlertQuery(filters: AlertFilters): AlertQuery {
  return {
    state: filters.state || undefined,
    minLevel: filters.minLevel ? Number(filters.minLevel) : undefined,
    kind: filters.kind || undefined,
    host: filters.host.trim() || undefined,
  };
}

/** The address bar's names for the filters (the page reads them back on load). */
export const toSearchParams = (filters: AlertFilters) => ({ state: filters.state, minLevel: filters.minLevel, kind: filters.kind, host: filters.host.trim() });

export function matchesFilters(filters: AlertFilters, alert: Pick<AlertEvent, 'state' | 'level' | 'kind' | 'host'>): boolean {
  if (filters.state === 'live' ? alert.state === 'closed' : filters.state && alert.state !== filters.state) return false;
  if (filters.minLevel && alert.level < Number(filters.minLevel)) return false;
  if (filters.kind && alert.kind !== filters.kind) return false;
  if (filters.host.trim() && alert.host !== filters.host.trim()) return false;
  return true;
}
