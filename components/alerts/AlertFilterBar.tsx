'use client';
// The alert queue's filters: state, level, kind and host.
import { inputClass } from '@/components/common/styles';
import { alertKinds, describeKind } from './alert-kinds';
import type { AlertFilters } from './alert-filters';

export function AlertFilterBar({ filters, onChange }: { filters: AlertFilters; onChange: (change: Partial<AlertFilters>) => void }) {
  return (
    <div role="group" aria-label="Filter alerts" className="ml-auto flex flex-wrap items-center gap-3 text-sm">
      <label className="flex items-center gap-1.5">
        State
        <select value={filters.state} onChange={(event) => onChange({ state: event.target.value as AlertFilters['state'] })} className={inputClass}>
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="live">Open or acknowledged</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="closed">Closed</option>
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        Level
        <select value={filters.minLevel} onChange={(event) => onChange({ minLevel: event.target.value as AlertFilters['minLevel'] })} className={inputClass}>
          <option value="">Any</option>
          <option value="5">5 and up</option>
          <option value="8">8 and up</option>
          <option value="10">10 and up</option>
          <option value="12">12 and up</option>
        </select>
      </label>
      <label className="flex items-center gap-1.5">
        Kind
        <select value={filters.kind} onChange={(event) => onChange({ kind: event.target.value })} className={inputClass}>
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
        <input
          type="search"
          value={filters.host}
          onChange={(event) => onChange({ host: event.target.value })}
          placeholder="exact host name"
          className={`${inputClass} w-44`}
        />
      </label>
    </div>
  );
}
