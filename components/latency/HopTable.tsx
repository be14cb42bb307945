'use client';
// mtr's report over the window: one row per hop with Loss%, Snt, Last, Avg, Best, Wrst, StDev.
// Choosing a row shows that hop in the chart.
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import type { HopSummary } from '@/lib/latency/latency-series';
import { formatMs } from './LatencyChart';

const hasLoss = (hop: HopSummary) => (hop.lossPercent ?? 0) > 0;
const msColumn = (id: string, header: string, value: (hop: HopSummary) => number | null): Column<HopSummary> => ({
  id,
  header,
  width: 'w-20',
  className: 'mono tabular-nums',
  cell: (hop) => formatMs(value(hop)),
});

function HopHost({ hop }: { hop: HopSummary }) {
  if (hop.addresses.length === 0) return <span className="text-slate-500">???</span>;
  return (
    <>
      {hop.names[0] ? `${hop.names[0]} (${hop.addresses[0]})` : hop.addresses[0]}
      {hop.addresses.length > 1 && <span className="ml-1 text-xs text-slate-500">+{hop.addresses.length - 1}</span>}
    </>
  );
}

function hopColumns(selectedHop: number | null, onSelect: (hop: number) => void): Column<HopSummary>[] {
  return [
    {
      id: 'hop',
      header: 'Hop',
      width: 'w-14',
      className: 'mono tabular-nums',
      cell: (hop) => (
        <button
          type="button"
          onClick={() => onSelect(hop.hop)}
          aria-pressed={hop.hop === selectedHop}
          aria-label={`Show hop ${hop.hop} in the chart`}
          className="w-full rounded px-1 text-left hover:bg-slate-800 light:hover:bg-slate-200"
        >
          {hop.hop}.
        </button>
      ),
    },
    {
      id: 'host',
      header: 'Host',
      className: 'mono truncate',
      title: (hop) => [...hop.addresses, ...hop.names].join(' '),
      cell: (hop) => <HopHost hop={hop} />,
    },
    {
      id: 'loss',
      header: 'Loss%',
      width: 'w-20',
      className: (hop) => `mono tabular-nums ${hasLoss(hop) ? 'font-semibold text-red-400 light:text-red-700' : ''}`,
      cell: (hop) => (hop.lossPercent === null ? '—' : `${hop.lossPercent.toFixed(1)}%`),
    },
    { id: 'sent', header: 'Snt', width: 'w-16', className: 'mono tabular-nums', cell: (hop) => hop.sent },
    msColumn('last', 'Last', (hop) => hop.lastMs),
    msColumn('avg', 'Avg', (hop) => hop.avgMs),
    msColumn('best', 'Best', (hop) => hop.bestMs),
    msColumn('worst', 'Wrst', (hop) => hop.worstMs),
    msColumn('stdev', 'StDev', (hop) => hop.stdevMs),
    {
      id: 'notes',
      header: 'Notes',
      width: 'w-28',
      className: 'mono text-xs text-red-400 light:text-red-700',
      testId: 'hop-notes',
      cell: (hop) => [hasLoss(hop) ? '*' : '', ...hop.annotations].filter(Boolean).join(' '),
    },
  ];
}

export function HopTable({ hops, selectedHop, onSelect }: { hops: HopSummary[]; selectedHop: number | null; onSelect: (hop: number) => void }) {
  return (
    <DataTable
      rows={hops}
      columns={hopColumns(selectedHop, onSelect)}
      rowKey={(hop) => String(hop.hop)}
      rowProps={(hop) => ({ 'data-hop': hop.hop, 'aria-selected': hop.hop === selectedHop, className: hop.hop === selectedHop ? 'bg-sky-500/10' : undefined })}
      testId="hop-table"
      caption="Per-hop statistics, like mtr"
      empty="No hop answered in this window."
    />
  );
}
