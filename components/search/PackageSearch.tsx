'use client';
// "Which hosts have a package, or got one lately?" — by name (a part of it) and version, or by
// when it was installed or changed.
import { useState } from 'react';
import { searchPackages, type PackageMatch } from '@/components/api/client';
import { Code, EmptyState } from '@/components/common/EmptyState';
import { formatTimestamp } from '@/components/common/RelativeTime';
import { inputClass } from '@/components/common/styles';
import type { Column } from '@/components/table/column';
import { textColumn } from '@/components/table/text-column';
import { hostColumn } from './search-columns';
import { SearchForm, SearchPanel } from './SearchPanel';
import { SearchResults, type ResultTable } from './SearchResults';
import { SEARCH_PAGE_SIZE, useSearch } from './use-search';

interface PackageQuestion {
  name: string;
  version: string;
  recentHours: string;
}

const columns: Column<PackageMatch>[] = [
  hostColumn('w-[22%]', 'packages'),
  textColumn('name', 'Package', (row) => row.name, { width: 'w-[22%]' }),
  {
    id: 'version',
    header: 'Version',
    className: 'mono truncate',
    title: (row) => row.version,
    cell: (row) => (
      <>
        {row.version}
        {!row.installed && <span className="ml-2 text-xs text-slate-500">(since removed)</span>}
      </>
    ),
  },
  textColumn('arch', 'Arch', (row) => row.arch, { width: 'w-20', className: 'mono' }),
  textColumn('source', 'Source', (row) => row.source, { width: 'w-16', className: 'mono text-xs' }),
  textColumn('appeared', 'Appeared', (row) => (row.appearedAt ? formatTimestamp(row.appearedAt) : null), { width: 'w-44', className: 'text-xs' }),
];

const packageTable: ResultTable<PackageMatch> = {
  testId: 'package-results',
  noun: ['package', 'packages'],
  columns,
  rowKey: (row) => `${row.host}|${row.source}|${row.name}|${row.arch ?? ''}|${row.version}`,
};

function ask(question: PackageQuestion, page: number) {
  return searchPackages({
    name: question.name || undefined,
    version: question.version || undefined,
    appearedWithinMinutes: question.recentHours ? Math.round(Number(question.recentHours) * 60) : undefined,
    match: 'contains',
    page,
    pageSize: SEARCH_PAGE_SIZE,
  });
}

function NoPackage({ question }: { question: PackageQuestion | null }) {
  return (
    <EmptyState title="No host has such a package.">
      <p>
        The name matches any part of a package&apos;s name. Hosts are asked as of their latest package list: collectors read dpkg, rpm or apk when they start,
        then every <Code>SOCKSCOPE_PACKAGES_INTERVAL</Code> seconds (an hour by default) and whenever the package database changes.
      </p>
      {question?.recentHours && <p>A host&apos;s first package list is its inventory, not news: only what came after it counts as installed lately.</p>}
    </EmptyState>
  );
}

export function PackageSearch() {
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [recentHours, setRecentHours] = useState('');
  const search = useSearch(ask);
  const submit = () => {
    if (name.trim() || recentHours) void search.run({ name: name.trim(), version: version.trim(), recentHours });
  };
  return (
    <SearchPanel title="Which hosts have a package, or got one lately?" id="search-packages">
      <SearchForm onSearch={submit}>
        <label className="flex items-center gap-2">
          Package
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="openssl" className={`${inputClass} w-48`} maxLength={256} />
        </label>
        <label className="flex items-center gap-2">
          Version
          <input value={version} onChange={(event) => setVersion(event.target.value)} placeholder="any" className={`${inputClass} w-36`} maxLength={256} />
        </label>
        <label className="flex items-center gap-2">
          Installed or changed in the last
          <select value={recentHours} onChange={(event) => setRecentHours(event.target.value)} className={inputClass}>
            <option value="">(any time: installed now)</option>
            <option value="1">hour</option>
            <option value="24">24 hours</option>
            <option value="168">7 days</option>
          </select>
        </label>
      </SearchForm>
      <SearchResults search={search} table={packageTable} empty={<NoPackage question={search.asked} />} />
    </SearchPanel>
  );
}
