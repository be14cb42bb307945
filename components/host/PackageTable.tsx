'use client';
// Installed packages: sortable, filterable, exportable as CSV. Every value is host data, rendered as text.
import { safeFileName } from '@/components/common/csv';
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import { textColumn } from '@/components/table/text-column';
import type { PackageRow } from '@/lib/schemas/snapshot';
import { NoPackages, NotCollected } from './host-empty-states';

const columns: Column<PackageRow>[] = [
  textColumn('name', 'Name', (row) => row.name, { width: 'w-[32%]', isSortable: true }),
  textColumn('version', 'Version', (row) => row.version, { width: 'w-[30%]', isSortable: true }),
  textColumn('arch', 'Arch', (row) => row.arch, { width: 'w-24', className: 'mono', isSortable: true }),
  textColumn('source', 'Source', (row) => row.source, { width: 'w-20', className: 'mono text-xs', isSortable: true }),
  textColumn('installedAt', 'Installed', (row) => row.installedAt, { className: 'mono text-xs', isSortable: true }),
];

const packageKey = (row: PackageRow) => `${row.source}|${row.name}|${row.arch}|${row.version}`;
const filterValues = (row: PackageRow) => [row.name, row.version, row.arch, row.source];
const csvRow = (row: PackageRow) => [row.name, row.version, row.arch, row.source, row.installedAt];

export function PackageTable({ packages, hostName }: { packages: PackageRow[] | null; hostName: string }) {
  if (!packages) return <NotCollected section="packages" />;
  return (
    <DataTable
      rows={packages}
      columns={columns}
      rowKey={packageKey}
      rowProps={(row) => ({ 'data-package': row.name })}
      testId="packages"
      noun={['package', 'packages']}
      initialSort={{ key: 'name', direction: 'asc' }}
      filter={{ label: 'Filter packages', placeholder: 'Filter: name, version, arch…', values: filterValues }}
      csv={{ fileName: `${safeFileName(hostName)}-packages.csv`, header: ['name', 'version', 'arch', 'source', 'installed_at'], row: csvRow }}
      empty={<NoPackages />}
      noMatch="No package matches the filter."
    />
  );
}
