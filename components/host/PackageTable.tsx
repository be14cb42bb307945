'use client';
// Installed packages: sortable, filterable, exportable as CSV. Every value is host data, rendered as text.
import { useMemo, useState } from 'react';
import { downloadText, safeFileName, toCsv } from '@/components/common/csv';
import { ShowMoreRows, useRowLimit } from '@/components/common/RowLimit';
import { compareValues, SortHeader, type SortState } from '@/components/common/SortHeader';
import { buttonClass, inputClass } from '@/components/common/styles';
import type { PackageRow } from '@/lib/schemas/snapshot';

type Column = 'name' | 'version' | 'arch' | 'source' | 'installedAt';

const sortValue: Record<Column, (row: PackageRow) => string | null> = {
  name: (row) => row.name,
  version: (row) => row.version,
  arch: (row) => row.arch,
  source: (row) => row.source,
  installedAt: (row) => row.installedAt,
};

export function PackageTable({ packages, hostName }: { packages: PackageRow[] | null; hostName: string }) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState<Column>>({ key: 'name', direction: 'asc' });
  const rows = useRowLimit();
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matching = needle
      ? (packages ?? []).filter((row) => [row.name, row.version, row.arch, row.source].some((value) => value !== null && value.toLowerCase().includes(needle)))
      : (packages ?? []);
    return [...matching].sort((a, b) => compareValues(sortValue[sort.key](a), sortValue[sort.key](b), sort.direction));
  }, [packages, filter, sort]);

  if (!packages) {
    return (
      <p className="p-4 text-slate-400 light:text-slate-600">
        Packages were not collected. Collectors from this version read them hourly (dpkg, rpm, apk) and when the package database changes;
        for another host, import a list with <code className="mono">collector import --format dpkg-l|rpm-qa|apk-info FILE</code>.
      </p>
    );
  }
  const exportCsv = () => {
    downloadText(`${safeFileName(hostName)}-packages.csv`, toCsv(['name', 'version', 'arch', 'source', 'installed_at'], visible.map((row) => [row.name, row.version, row.arch, row.source, row.installedAt])));
  };
  const sortHeader = (column: Column, label: string) => (
    <SortHeader column={column} sort={sort} onSort={setSort}>
      {label}
    </SortHeader>
  );
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 light:border-slate-200">
        <label className="text-sm">
          <span className="sr-only">Filter packages</span>
          <input type="search" value={filter} onChange={(event) => { setFilter(event.target.value); rows.reset(); }} placeholder="Filter: name, version, arch…" className={`${inputClass} w-72`} data-testid="packages-filter" />
        </label>
        <span className="text-xs tabular-nums text-slate-400 light:text-slate-600" aria-live="polite">
          {visible.length === packages.length ? `${packages.length} packages` : `${visible.length} of ${packages.length} packages`}
        </span>
        <span className="ml-auto">
          <button type="button" className={buttonClass} onClick={exportCsv} disabled={visible.length === 0}>
            Export CSV
          </button>
        </span>
      </div>
      <table className="data-table table-fixed" data-testid="packages">
        <colgroup>
          <col className="w-[32%]" />
          <col className="w-[30%]" />
          <col className="w-24" />
          <col className="w-20" />
          <col />
        </colgroup>
        <thead>
          <tr>
            {sortHeader('name', 'Name')}
            {sortHeader('version', 'Version')}
            {sortHeader('arch', 'Arch')}
            {sortHeader('source', 'Source')}
            {sortHeader('installedAt', 'Installed')}
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, rows.limit).map((row, index) => (
            <tr key={`${row.source}|${row.name}|${row.arch}|${row.version}|${index}`} data-package={row.name}>
              <td className="mono truncate" title={row.name}>{row.name}</td>
              <td className="mono truncate" title={row.version}>{row.version}</td>
              <td className="mono">{row.arch ?? '—'}</td>
              <td className="mono text-xs">{row.source}</td>
              <td className="mono text-xs">{row.installedAt ?? '—'}</td>
            </tr>
          ))}
          <ShowMoreRows shown={Math.min(rows.limit, visible.length)} total={visible.length} onShowMore={rows.showMore} colSpan={5} />
          {visible.length === 0 && (
            <tr>
              <td colSpan={5} className="py-6 text-center text-slate-400 light:text-slate-600">
                {packages.length === 0 ? 'No packages installed.' : 'No package matches the filter.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
