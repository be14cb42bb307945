'use client';
// The host's network paths over time: pick a traceroute target, a window and a hop; the chart and
// the mtr-style table follow, and refresh when the host reports a new run.
import { useCallback, useEffect, useState } from 'react';
import { describeFailure, getLatency, type LatencySeries } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { buttonClass, inputClass } from '@/components/common/styles';
import { useCoalesced } from '@/components/common/use-coalesced';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import { HopTable } from './HopTable';
import { LatencyChart } from './LatencyChart';
import { NoRunsInWindow, NoTracerouteTargets } from './latency-empty-states';

const windows = [
  { value: '1h', label: '1 h' },
  { value: '6h', label: '6 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
] as const;
type TimeWindow = (typeof windows)[number]['value'];
const windowLabels: Record<TimeWindow, string> = { '1h': 'hour', '6h': '6 hours', '24h': '24 hours', '7d': '7 days' };

/** `isBuiltIn`: the host is the server's own machine, reported by the built-in collector. */
export function LatencyPanel({ hostName, isBuiltIn }: { hostName: string; isBuiltIn: boolean }) {
  const [timeWindow, setTimeWindow] = useState<TimeWindow>('24h');
  const [target, setTarget] = useState<string | null>(null);
  const [series, setSeries] = useState<LatencySeries | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [selectedHop, setSelectedHop] = useState<number | null>(null);
  const { resyncToken } = useRealtime();

  const load = useCallback(async () => {
    try {
      setSeries(await getLatency(hostName, { since: timeWindow, target: target ?? undefined }));
      setFailure(null);
    } catch (error) {
      setFailure(`Could not load latency: ${describeFailure(error)}`);
    }
  }, [hostName, timeWindow, target]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load sets state only once the server answers (after its await), not synchronously.
    void load();
  }, [load, resyncToken]);
  const scheduleLoad = useCoalesced(load, 2000);
  useRealtimeEvent('snapshot', (event) => {
    if (event.host === hostName && 'traceroutes' in event.changed) scheduleLoad();
  });

  const hopNumbers = series?.hopTable.map((hop) => hop.hop) ?? [];
  // Until the analyst picks one, the last hop (the target itself) is shown.
  const shownHop = selectedHop !== null && hopNumbers.includes(selectedHop) ? selectedHop : (hopNumbers.at(-1) ?? null);

  return (
    <div data-testid="latency" className="space-y-3 p-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          Target
          <select
            value={series?.target ?? ''}
            onChange={(event) => {
              setTarget(event.target.value || null);
              setSelectedHop(null);
            }}
            className={`${inputClass} mono max-w-72`}
            disabled={!series || series.targets.length === 0}
          >
            {series?.targets.length === 0 && <option value="">No traceroute targets</option>}
            {series?.targets.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          Hop
          <select
            value={shownHop ?? ''}
            onChange={(event) => setSelectedHop(Number(event.target.value))}
            className={inputClass}
            disabled={hopNumbers.length === 0}
          >
            {series?.hopTable.map((hop) => (
              <option key={hop.hop} value={hop.hop}>
                {hop.hop}. {hop.addresses[0] ?? '???'}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Time window" className="flex gap-1">
          {windows.map((option) => (
            <button
              key={option.value}
              type="button"
              aria-pressed={timeWindow === option.value}
              onClick={() => setTimeWindow(option.value)}
              className={`${buttonClass} ${timeWindow === option.value ? 'bg-slate-700 light:bg-slate-300' : ''}`}
            >
              {option.label}
            </button>
          ))}
        </div>
        <span className="ml-auto text-xs text-slate-400 light:text-slate-600 tabular-nums">
          {series && `${series.runs.length} runs${series.truncated ? ' (newest shown)' : ''}`}
          {series?.targetAddress && <span className="mono ml-2">→ {series.targetAddress}</span>}
        </span>
      </div>
      <FailureMessage message={failure} />
      {series === null && !failure && <div className="h-80 animate-pulse rounded bg-slate-800/40 light:bg-slate-100" aria-label="Loading latency" />}
      {series && series.runs.length === 0 && (
        <div className="rounded border border-dashed border-slate-700 p-6 light:border-slate-300">
          {series.targets.length === 0 ? (
            <NoTracerouteTargets isBuiltIn={isBuiltIn} windowLabel={windowLabels[timeWindow]} />
          ) : (
            <NoRunsInWindow target={series.target} windowLabel={windowLabels[timeWindow]} />
          )}
        </div>
      )}
      {series && series.runs.length > 0 && shownHop !== null && (
        <>
          <LatencyChart series={series} hopNumber={shownHop} />
          <ChartLegend />
          <div className="panel overflow-x-auto">
            <HopTable hops={series.hopTable} selectedHop={shownHop} onSelect={setSelectedHop} />
          </div>
        </>
      )}
    </div>
  );
}

function ChartLegend() {
  const item = (swatch: string, text: string) => (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={`inline-block h-2.5 w-4 rounded-sm ${swatch}`} />
      {text}
    </span>
  );
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-400 light:text-slate-600">
      {item('bg-slate-400/50', 'min–max RTT (smoke)')}
      {item('bg-sky-500', 'median RTT (dot colour: loss 0% / <20% / ≥20%)')}
      {item('bg-red-500/40', 'loss %')}
      {item('bg-orange-500', 'latency-jump alert')}
      {item('border border-dashed border-sky-400', 'inventory change (sockets / processes / interfaces)')}
      <span>
        <span className="mono text-red-400">* !H</span> no answer / unreachable marks
      </span>
    </p>
  );
}
