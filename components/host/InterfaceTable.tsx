'use client';
// Interfaces with every flag; promiscuous ones first and standing out (the classic sign of a sniffer).
import { useEffect, useMemo, useRef } from 'react';
import { chipClass } from '@/components/common/styles';
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import { textColumn } from '@/components/table/text-column';
import type { InterfaceRow } from '@/lib/schemas/snapshot';
import { NotCollected } from './host-empty-states';

const counter = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toLocaleString());
const flagClass = (flag: string) =>
  flag.toUpperCase() === 'PROMISC' ? 'bg-red-600 text-white' : 'bg-slate-800 text-slate-300 light:bg-slate-200 light:text-slate-700';

const columns: Column<InterfaceRow>[] = [
  {
    id: 'name',
    header: 'Name',
    width: 'w-48',
    className: 'mono truncate',
    title: (item) => item.name,
    cell: (item) => (
      <>
        {item.name}
        {item.promiscuous && <span className={`${chipClass} ml-2 bg-red-600 font-sans font-semibold text-white`}>PROMISC</span>}
      </>
    ),
  },
  {
    id: 'flags',
    header: 'Flags',
    cell: (item) => (
      <span className="flex flex-wrap gap-1">
        {item.flags.map((flag) => (
          <span key={flag} className={`${chipClass} ${flagClass(flag)}`}>
            {flag}
          </span>
        ))}
        {item.flags.length === 0 && <span className="text-slate-500">—</span>}
      </span>
    ),
  },
  textColumn('mtu', 'MTU', (item) => item.mtu, { width: 'w-20', className: 'mono tabular-nums' }),
  textColumn('mac', 'MAC', (item) => item.mac, { width: 'w-40' }),
  {
    id: 'addresses',
    header: 'Addresses',
    width: 'w-[22%]',
    className: 'mono text-xs',
    cell: (item) =>
      item.addresses.length === 0
        ? '—'
        : item.addresses.map((address) => (
            <div key={address} className="truncate" title={address}>
              {address}
            </div>
          )),
  },
  {
    id: 'errors',
    header: 'Errors rx/tx',
    headerTitle: 'Receive / transmit errors',
    width: 'w-28',
    className: 'mono tabular-nums text-xs',
    cell: (item) => `${counter(item.rxErrors)} / ${counter(item.txErrors)}`,
  },
  {
    id: 'dropped',
    header: 'Dropped rx/tx',
    headerTitle: 'Receive / transmit drops',
    width: 'w-28',
    className: 'mono tabular-nums text-xs',
    cell: (item) => `${counter(item.rxDropped)} / ${counter(item.txDropped)}`,
  },
];

export function InterfaceTable({ interfaces, focusName }: { interfaces: InterfaceRow[] | null; focusName: string | null }) {
  const focused = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    focused.current?.scrollIntoView({ block: 'center' });
  }, [focusName]);
  const sorted = useMemo(
    () => [...(interfaces ?? [])].sort((a, b) => Number(b.promiscuous) - Number(a.promiscuous) || a.name.localeCompare(b.name)),
    [interfaces],
  );

  if (!interfaces) return <NotCollected section="interfaces" />;
  return (
    <DataTable
      rows={sorted}
      columns={columns}
      rowKey={(item) => item.name}
      rowProps={(item) => {
        const isFocused = item.name === focusName;
        return {
          ref: isFocused ? focused : undefined,
          'data-interface': item.name,
          'data-promiscuous': item.promiscuous ? 'true' : 'false',
          className: `${item.promiscuous ? 'bg-red-500/10 shadow-[inset_3px_0_0_0] shadow-red-500' : ''} ${isFocused ? 'outline-2 -outline-offset-2 outline-sky-400' : ''}`,
        };
      }}
      testId="interfaces"
      empty="No interfaces in the latest snapshot."
    />
  );
}
