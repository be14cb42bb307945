// The fleet's filters: as the page and the address bar hold them, and as the API asks them.
import type { HostQuery } from '@/components/api/client';
import type { HostStatus } from '@/lib/hosts/host-status';

export interface FleetFilters {
  q: string;
  status: HostStatus | '';
  label: string;
  promiscuous: boolean;
  alerts: boolean;
}

export const noFleetFilters: FleetFilters = { q: '', status: '', label: '', promiscuous: false, alerts: false };

export const isFiltered = (filters: FleetFilters) => Boolean(filters.q || filters.status || filters.label || filters.promiscuous || filters.alerts);

export function toHostQuery(filters: FleetFilters): HostQuery {
  return {
    q: filters.q || undefined,
    status: filters.status || undefined,
    label: filters.label || undefined,
    promiscuous: filters.promiscuous ? '1' : undefined,
    alerts: filters.alerts ? '1' : undefined,
  };
}

/** The address bar's names for the filters (the page reads them back on load). */
export const toSearchParams = (filters: FleetFilters) => ({
  q: filters.q,
  status: filters.status,
  label: filters.label,
  promiscuous: filters.promiscuous ? '1' : null,
  alerts: filters.alerts ? '1' : null,
});
