'use client';
// Interfaces with every flag; promiscuous ones stand out (the classic sign of a sniffer).
import { useEffect, useRef } from 'react';
import { chipClass } from '@/components/common/styles';
import type { InterfaceRow } from '@/lib/schemas/snapshot';

const counter = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toLocaleString());

export function InterfaceTable({ interfaces, focusName }: { interfaces: InterfaceRow[] | null; focusName: string | null }) {
  const focused = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    focused.current?.scrollIntoView({ block: 'center' });
  }, [focusName]);

  if (!interfaces) return <p className="p-4 text-slate-400 light:text-slate-600">Interfaces were not collected.</p>;
  const sorted = [...interfaces].sort((a, b) => Number(b.promiscuous) - Number(a.promiscuous) || a.name.localeCompare(b.name));
  return (
    <table className="data-table table-fixed" data-testid="interfaces">
      <colgroup>
        <col className="w-48" />
        <col />
        <col className="w-20" />
        <col className="w-40" />
        <col className="w-[22%]" />
        <col className="w-28" />
        <col className="w-28" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Flags</th>
          <th scope="col">MTU</th>
          <th scope="col">MAC</th>
          <th scope="col">Addresses</th>
          <th scope="col" title="Receive / transmit errors">Errors rx/tx</th>
          <th scope="col" title="Receive / transmit drops">Dropped rx/tx</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((item) => {
          const isFocused = item.name === focusName;
          return (
            <tr
              key={item.name}
              ref={isFocused ? focused : undefined}
              data-interface={item.name}
              data-promiscuous={item.promiscuous ? 'true' : 'false'}
              className={`${item.promiscuous ? 'bg-red-500/10 shadow-[inset_3px_0_0_0] shadow-red-500' : ''} ${isFocused ? 'outline-2 -outline-offset-2 outline-sky-400' : ''}`}
            >
              <td className="mono truncate" title={item.name}>
                {item.name}
                {item.promiscuous && <span className={`${chipClass} ml-2 bg-red-600 font-sans font-semibold text-white`}>PROMISC</span>}
              </td>
              <td>
                <span className="flex flex-wrap gap-1">
                  {item.flags.map((flag) => (
                    <span
                      key={flag}
                      className={`${chipClass} ${flag.toUpperCase() === 'PROMISC' ? 'bg-red-600 text-white' : 'bg-slate-800 text-slate-300 light:bg-slate-200 light:text-slate-700'}`}
                    >
                      {flag}
                    </span>
                  ))}
                  {item.flags.length === 0 && <span className="text-slate-500">—</span>}
                </span>
              </td>
              <td className="mono tabular-nums">{item.mtu ?? '—'}</td>
              <td className="mono truncate">{item.mac ?? '—'}</td>
              <td className="mono text-xs">
                {item.addresses.length === 0 ? '—' : item.addresses.map((address) => <div key={address} className="truncate" title={address}>{address}</div>)}
              </td>
              <td className="mono tabular-nums text-xs">
                {counter(item.rxErrors)} / {counter(item.txErrors)}
              </td>
              <td className="mono tabular-nums text-xs">
                {counter(item.rxDropped)} / {counter(item.txDropped)}
              </td>
            </tr>
          );
        })}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={7} className="py-6 text-center text-slate-400 light:text-slate-600">
              No interfaces in the latest snapshot.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
