'use client';
// The fleet's filters: name search, status, label, promiscuous, with open alerts.
import { inputClass } from '@/components/common/styles';
import type { FleetFilters } from './fleet-filters';

const statusOptions: { value: FleetFilters['status']; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'fresh', label: 'Fresh' },
  { value: 'late', label: 'Late' },
  { value: 'silent', label: 'Silent' },
  { value: 'never', label: 'Never reported' },
];

export function FleetFilterBar({ filters, labels, onChange }: { filters: FleetFilters; labels: string[]; onChange: (change: Partial<FleetFilters>) => void }) {
  return (
    <div role="group" aria-label="Filter hosts" className="ml-auto flex flex-wrap items-center gap-3 text-sm">
      <label>
        <span className="sr-only">Search hosts</span>
        <input
          type="search"
          value={filters.q}
          onChange={(event) => onChange({ q: event.target.value })}
          placeholder="Search hosts…"
          className={`${inputClass} w-56`}
        />
      </label>
      <label>
        <span className="sr-only">Status</span>
        <select value={filters.status} onChange={(event) => onChange({ status: event.target.value as FleetFilters['status'] })} className={inputClass}>
          {statusOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="sr-only">Label</span>
        <select value={filters.label} onChange={(event) => onChange({ label: event.target.value })} className={`${inputClass} max-w-40`}>
          <option value="">Any label</option>
          {labels.map((label) => (
            <option key={label} value={label}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={filters.promiscuous} onChange={(event) => onChange({ promiscuous: event.target.checked })} />
        Promiscuous
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={filters.alerts} onChange={(event) => onChange({ alerts: event.target.checked })} />
        With open alerts
      </label>
    </div>
  );
}
