'use client';
// SmokePing's picture for one hop: the grey "smoke" spans min–max RTT of each run, the line is the
// median (its dots coloured by loss), red bars are loss, and `*` / `!H` marks sit on the runs that
// had them. Latency-jump alerts (orange) and inventory changes (blue, dashed) are marked in time.
import type { ReactNode } from 'react';
import { Area, Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis, type DotItemDotProps, type TooltipContentProps } from 'recharts';
import { formatTimestamp } from '@/components/common/RelativeTime';
import type { HopStats, LatencySeries } from '@/lib/latency/latency-series';

export interface ChartPoint {
  at: number;
  snapshotId: string;
  range: [number, number] | null;
  median: number | null;
  lossPercent: number | null;
  /** Where the mark text sits: at the median, or on the axis when nothing answered. */
  markY: number | null;
  mark: string;
  hop: HopStats | null;
}

const lossColour = (lossPercent: number | null) =>
  lossPercent === null ? '#64748b' : lossPercent === 0 ? '#10b981' : lossPercent < 20 ? '#f59e0b' : '#ef4444';

export const formatMs = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));

function toPoints(series: LatencySeries, hopNumber: number): ChartPoint[] {
  return series.runs.map((run) => {
    const hop = run.hops.find((item) => item.hop === hopNumber) ?? null;
    const lossPercent = hop?.loss === null || hop?.loss === undefined ? null : hop.loss * 100;
    const marks = [hop && hop.received < hop.sent ? '*'.repeat(Math.min(3, hop.sent - hop.received)) : '', ...(hop?.annotations ?? [])].filter(Boolean);
    return {
      at: Date.parse(run.at),
      snapshotId: run.snapshotId,
      range: hop && hop.minMs !== null && hop.maxMs !== null ? [hop.minMs, hop.maxMs] : null,
      median: hop?.medianMs ?? null,
      lossPercent,
      markY: marks.length === 0 ? null : (hop?.medianMs ?? 0),
      mark: marks.join(' '),
      hop,
    };
  });
}

function formatTick(value: number, spanMs: number): string {
  const date = new Date(value);
  const pad = (part: number) => String(part).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return spanMs > 36 * 3_600_000 ? `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}` : time;
}

function MedianDot({ cx, cy, payload }: DotItemDotProps): ReactNode {
  const point = payload as ChartPoint;
  if (cx === undefined || cy === undefined || point.median === null) return <g />;
  return <circle cx={cx} cy={cy} r={2.5} fill={lossColour(point.lossPercent)} stroke="none" />;
}

function MarkDot({ cx, cy, payload }: DotItemDotProps): ReactNode {
  const point = payload as ChartPoint;
  if (cx === undefined || cy === undefined || !point.mark) return <g />;
  return (
    <text x={cx} y={cy - 8} textAnchor="middle" fontSize={11} fontFamily="ui-monospace, monospace" fill="#f87171" data-testid="latency-mark">
      {point.mark}
    </text>
  );
}

function LatencyTooltip({ active, payload }: TooltipContentProps) {
  const point = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || !point) return null;
  const hop = point.hop;
  return (
    <div className="rounded border border-slate-700 bg-slate-900 p-2 text-xs text-slate-100 shadow-lg light:border-slate-300 light:bg-white light:text-slate-900">
      <div className="font-semibold tabular-nums">{formatTimestamp(new Date(point.at).toISOString())}</div>
      {hop ? (
        <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-3 tabular-nums">
          <dt className="text-slate-400 light:text-slate-600">min / median / max</dt>
          <dd className="mono">
            {formatMs(hop.minMs)} / {formatMs(hop.medianMs)} / {formatMs(hop.maxMs)} ms
          </dd>
          <dt className="text-slate-400 light:text-slate-600">loss</dt>
          <dd className="mono">
            {point.lossPercent === null ? '—' : `${point.lossPercent.toFixed(0)}%`} ({hop.received}/{hop.sent} answered)
          </dd>
          {hop.annotations.length > 0 && (
            <>
              <dt className="text-slate-400 light:text-slate-600">annotations</dt>
              <dd className="mono text-red-300 light:text-red-700">{hop.annotations.join(' ')}</dd>
            </>
          )}
          <dt className="text-slate-400 light:text-slate-600">answered by</dt>
          <dd className="mono max-w-64 truncate">{hop.addresses.join(', ') || '*'}</dd>
        </dl>
      ) : (
        <p className="mt-1 text-slate-400 light:text-slate-600">This hop was not in the run.</p>
      )}
    </div>
  );
}

export function LatencyChart({ series, hopNumber }: { series: LatencySeries; hopNumber: number }) {
  const points = toPoints(series, hopNumber);
  const times = points.map((point) => point.at);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const spanMs = Math.max(60_000, last - first);
  const inWindow = (iso: string) => {
    const at = Date.parse(iso);
    return at >= first - spanMs * 0.02 && at <= last + spanMs * 0.02;
  };
  const jumps = series.latencyJumps.filter((jump) => inWindow(jump.at));
  const changes = series.inventoryChanges.filter((change) => inWindow(change.at));
  return (
    <div data-testid="latency-chart" className="h-80 w-full text-slate-400 light:text-slate-600">
      <ComposedChart data={points} responsive style={{ width: '100%', height: '100%' }} margin={{ top: 20, right: 8, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#64748b" strokeOpacity={0.25} />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={points.length === 1 ? [first - 60_000, first + 60_000] : ['dataMin', 'dataMax']}
          tickFormatter={(value: number) => formatTick(value, spanMs)}
          // Room at both ends, so the first and last runs' marks clear the axes.
          padding={{ left: 24, right: 32 }}
          stroke="#64748b"
          fontSize={11}
        />
        <YAxis yAxisId="rtt" stroke="#64748b" fontSize={11} unit=" ms" width={64} />
        <YAxis yAxisId="loss" orientation="right" domain={[0, 100]} stroke="#64748b" fontSize={11} unit="%" width={44} />
        <Bar yAxisId="loss" dataKey="lossPercent" name="loss" fill="#ef4444" fillOpacity={0.35} barSize={4} isAnimationActive={false} />
        <Area
          yAxisId="rtt"
          dataKey="range"
          name="min–max"
          type="linear"
          fill="#94a3b8"
          fillOpacity={0.35}
          stroke="#94a3b8"
          strokeOpacity={0.5}
          isAnimationActive={false}
        />
        <Line
          yAxisId="rtt"
          dataKey="median"
          name="median"
          type="linear"
          stroke="#0ea5e9"
          strokeWidth={1.5}
          dot={MedianDot}
          activeDot={{ r: 4 }}
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line yAxisId="rtt" dataKey="markY" name="marks" stroke="none" dot={MarkDot} activeDot={false} legendType="none" isAnimationActive={false} />
        {changes.map((change) => (
          <ReferenceLine
            key={`inventory-${change.snapshotId}`}
            yAxisId="rtt"
            x={Date.parse(change.at)}
            stroke="#38bdf8"
            strokeDasharray="4 4"
            className="inventory-change-line"
            label={{ value: change.sections.join(', '), position: 'insideTopLeft', fill: '#38bdf8', fontSize: 10 }}
          />
        ))}
        {jumps.map((jump) => (
          <ReferenceLine
            key={`jump-${jump.alertId}-${jump.at}`}
            yAxisId="rtt"
            x={Date.parse(jump.at)}
            stroke="#f97316"
            strokeWidth={2}
            className="latency-jump-line"
            label={{ value: `jump${jump.hop === null ? '' : ` @hop ${jump.hop}`}`, position: 'insideBottomRight', fill: '#f97316', fontSize: 11 }}
          />
        ))}
        <Tooltip content={LatencyTooltip} isAnimationActive={false} />
      </ComposedChart>
    </div>
  );
}
