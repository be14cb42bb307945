'use client';
// mtr's report over the window: one row per hop with Loss%, Snt, Last, Avg, Best, Wrst, StDev.
// Choosing a row shows that hop in the chart.
import type { HopSummary } from '@/lib/latency/latency-series';
import { formatMs } from './LatencyChart';

export function HopTable({ hops, selectedHop, onSelect }: { hops: HopSummary[]; selectedHop: number | null; onSelect(hop: number): void }) {
  return (
    <table className="data-table table-fixed" data-testid="hop-table">
      <caption className="sr-only">Per-hop statistics, like mtr</caption>
      <colgroup>
        <col className="w-14" />
        <col />
        <col className="w-20" />
        <col className="w-16" />
        <col className="w-20" />
        <col className="w-20" />
        <col className="w-20" />
        <col className="w-20" />
        <col className="w-20" />
        <col className="w-28" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Hop</th>
          <th scope="col">Host</th>
          <th scope="col">Loss%</th>
          <th scope="col">Snt</th>
          <th scope="col">Last</th>
          <th scope="col">Avg</th>
          <th scope="col">Best</th>
          <th scope="col">Wrst</th>
          <th scope="col">StDev</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {hops.map((hop) => {
          const isSelected = hop.hop === selectedHop;
          const hasLoss = (hop.lossPercent ?? 0) > 0;
          return (
            <tr key={hop.hop} data-hop={hop.hop} aria-selected={isSelected} className={isSelected ? 'bg-sky-500/10' : undefined}>
              <td className="mono tabular-nums">
                <button type="button" onClick={() => onSelect(hop.hop)} aria-pressed={isSelected} aria-label={`Show hop ${hop.hop} in the chart`} className="w-full rounded px-1 text-left hover:bg-slate-800 light:hover:bg-slate-200">
                  {hop.hop}.
                </button>
              </td>
              <td className="mono truncate" title={[...hop.addresses, ...hop.names].join(' ')}>
                {hop.addresses.length === 0 ? <span className="text-slate-500">???</span> : hop.names[0] ? `${hop.names[0]} (${hop.addresses[0]})` : hop.addresses[0]}
                {hop.addresses.length > 1 && <span className="ml-1 text-xs text-slate-500">+{hop.addresses.length - 1}</span>}
              </td>
              <td className={`mono tabular-nums ${hasLoss ? 'font-semibold text-red-400 light:text-red-700' : ''}`}>{hop.lossPercent === null ? '—' : `${hop.lossPercent.toFixed(1)}%`}</td>
              <td className="mono tabular-nums">{hop.sent}</td>
              <td className="mono tabular-nums">{formatMs(hop.lastMs)}</td>
              <td className="mono tabular-nums">{formatMs(hop.avgMs)}</td>
              <td className="mono tabular-nums">{formatMs(hop.bestMs)}</td>
              <td className="mono tabular-nums">{formatMs(hop.worstMs)}</td>
              <td className="mono tabular-nums">{formatMs(hop.stdevMs)}</td>
              <td className="mono text-xs text-red-400 light:text-red-700" data-testid="hop-notes">
                {[hasLoss ? '*' : '', ...hop.annotations].filter(Boolean).join(' ')}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
