'use client';
// A host's timeline: every snapshot, the ones that changed marked with what changed. Pick any two
// (From / To) to see their diff; new snapshots arrive live at the top.
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatTimestamp, RelativeTime, useNow } from '@/components/common/RelativeTime';
import { buttonClass, chipClass, primaryButtonClass } from '@/components/common/styles';
import { hostPath } from '@/components/common/url-state';
import { useCoalesced } from '@/components/common/use-coalesced';
import { useRealtime, useRealtimeEvent } from '@/components/realtime/RealtimeProvider';
import type { DiffSummary, SectionCounts } from '@/lib/diff/types';

export interface TimelineEntry {
  id: string;
  collectedAt: string;
  receivedAt: string;
  changedSections: string[];
  diffSummary: DiffSummary | null;
  collectorVersion: string | null;
}

const PAGE_SIZE = 50;
const sectionOrder = ['sockets', 'processes', 'interfaces', 'packages', 'traceroutes'] as const;
const sectionColour: Record<string, string> = {
  sockets: 'bg-sky-500/20 text-sky-300 light:text-sky-800',
  processes: 'bg-violet-500/20 text-violet-300 light:text-violet-800',
  interfaces: 'bg-red-500/20 text-red-300 light:text-red-800',
  traceroutes: 'bg-teal-500/20 text-teal-300 light:text-teal-800',
  packages: 'bg-orange-500/20 text-orange-300 light:text-orange-800',
};

export const diffPath = (host: string, fromId: string, toId: string) => {
  const [older, newer] = BigInt(fromId) <= BigInt(toId) ? [fromId, toId] : [toId, fromId];
  return hostPath(host, `/diff?from=${encodeURIComponent(older)}&to=${encodeURIComponent(newer)}`);
};

/** Summaries stored before a section existed (packages) have no counts for it. */
function formatCounts(counts: SectionCounts | undefined): string {
  if (!counts) return '';
  return [counts.added ? `+${counts.added}` : '', counts.removed ? `−${counts.removed}` : '', counts.changed ? `~${counts.changed}` : ''].filter(Boolean).join(' ');
}

function isAlarming(summary: DiffSummary | null): boolean {
  return Boolean(summary && (summary.promiscuousOn.length > 0 || summary.widened > 0 || summary.sockets.added > 0 || (summary.packages?.added ?? 0) > 0));
}

export function HistoryPanel({ hostName }: { hostName: string }) {
  const [entries, setEntries] = useState<TimelineEntry[] | null>(null);
  const [changedOnly, setChangedOnly] = useState(true);
  const [hasOlder, setHasOlder] = useState(false);
  const [fromId, setFromId] = useState<string | null>(null);
  const [toId, setToId] = useState<string | null>(null);
  const now = useNow();
  const { resyncToken } = useRealtime();

  const fetchPage = useCallback(
    async (before: string | null, limit: number) => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (changedOnly) params.set('changedOnly', '1');
      if (before) params.set('before', before);
      const response = await fetch(`/api/v1/hosts/${encodeURIComponent(hostName)}/snapshots?${params}`);
      if (!response.ok) return null;
      return ((await response.json()) as { snapshots: TimelineEntry[] }).snapshots;
    },
    [hostName, changedOnly],
  );

  const reload = useCallback(
    async (count: number) => {
      const limit = Math.min(1000, Math.max(PAGE_SIZE, count));
      const page = await fetchPage(null, limit);
      if (!page) return;
      setEntries(page);
      setHasOlder(page.length === limit);
    },
    [fetchPage],
  );

  useEffect(() => {
    setEntries(null);
    void reload(PAGE_SIZE);
  }, [reload, resyncToken]);

  const entryCount = useRef(0);
  entryCount.current = entries?.length ?? 0;
  const scheduleReload = useCoalesced(() => reload(entryCount.current + 1));
  useRealtimeEvent('snapshot', (event) => {
    if (event.host !== hostName) return;
    if (changedOnly && !Object.values(event.changed).some(Boolean)) return;
    scheduleReload();
  });

  const loadOlder = async () => {
    const last = entries?.at(-1);
    if (!last) return;
    const page = await fetchPage(last.id, PAGE_SIZE);
    if (!page) return;
    setEntries((current) => [...(current ?? []), ...page]);
    setHasOlder(page.length === PAGE_SIZE);
  };

  const canCompare = fromId !== null && toId !== null && fromId !== toId;
  return (
    <div data-testid="history">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 text-sm light:border-slate-200">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={changedOnly} onChange={(event) => setChangedOnly(event.target.checked)} />
          Only snapshots with changes
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600">Pick a <strong>From</strong> and a <strong>To</strong> snapshot to compare them.</span>
        <span className="ml-auto">
          {canCompare ? (
            <Link className={primaryButtonClass} href={diffPath(hostName, fromId, toId)} data-testid="compare-link">
              Compare selected
            </Link>
          ) : (
            <button type="button" className={primaryButtonClass} disabled>
              Compare selected
            </button>
          )}
        </span>
      </div>
      {entries && entries.length > 1 && <TimelineStrip entries={entries} />}
      <table className="data-table table-fixed">
        <colgroup>
          <col className="w-16" />
          <col className="w-16" />
          <col className="w-56" />
          <col className="w-64" />
          <col />
          <col className="w-40" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Collected</th>
            <th scope="col">Changed</th>
            <th scope="col">What changed</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries === null && (
            <tr>
              <td colSpan={6} className="h-24 text-center text-slate-400 light:text-slate-600">
                Loading the timeline…
              </td>
            </tr>
          )}
          {entries?.map((entry, index) => {
            const previous = entries[index + 1];
            const summary = entry.diffSummary;
            return (
              <tr key={entry.id} data-snapshot-id={entry.id} className={isAlarming(summary) ? 'shadow-[inset_3px_0_0_0] shadow-amber-400' : entry.changedSections.length > 0 ? 'shadow-[inset_3px_0_0_0] shadow-sky-500' : undefined}>
                <td>
                  <input type="radio" name="diff-from" aria-label={`Compare from snapshot ${entry.id}`} checked={fromId === entry.id} onChange={() => setFromId(entry.id)} />
                </td>
                <td>
                  <input type="radio" name="diff-to" aria-label={`Compare to snapshot ${entry.id}`} checked={toId === entry.id} onChange={() => setToId(entry.id)} />
                </td>
                <td className="tabular-nums">
                  <span title={entry.collectedAt}>{formatTimestamp(entry.collectedAt)}</span>{' '}
                  <span className="text-xs text-slate-500">
                    (<RelativeTime iso={entry.collectedAt} now={now} />)
                  </span>
                </td>
                <td>
                  <span className="flex flex-wrap gap-1">
                    {entry.changedSections.length === 0 && <span className="text-xs text-slate-500">no change</span>}
                    {sectionOrder
                      .filter((section) => entry.changedSections.includes(section))
                      .map((section) => (
                        <span key={section} className={`${chipClass} ${sectionColour[section]}`}>
                          {section}
                        </span>
                      ))}
                  </span>
                </td>
                <td className="text-xs">
                  {summary === null ? (
                    <span className="text-slate-400 light:text-slate-600">First snapshot</span>
                  ) : (
                    <span className="flex flex-wrap gap-x-3 gap-y-1">
                      {sectionOrder
                        .filter((section) => formatCounts(summary[section]))
                        .map((section) => (
                          <span key={section} className="tabular-nums">
                            {section} <span className="mono">{formatCounts(summary[section])}</span>
                          </span>
                        ))}
                      {summary.widened > 0 && <span className="font-semibold text-amber-300 light:text-amber-700">{summary.widened} widened</span>}
                      {summary.promiscuousOn.length > 0 && (
                        <span className="font-semibold text-red-400 light:text-red-700">promiscuous on: {summary.promiscuousOn.join(', ')}</span>
                      )}
                    </span>
                  )}
                </td>
                <td className="text-right">
                  {previous && (
                    <Link className="link text-xs" href={diffPath(hostName, previous.id, entry.id)}>
                      Diff with previous
                    </Link>
                  )}
                </td>
              </tr>
            );
          })}
          {entries?.length === 0 && (
            <tr>
              <td colSpan={6} className="py-6 text-center text-slate-400 light:text-slate-600">
                {changedOnly ? 'No snapshot with changes yet.' : 'No snapshots yet.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {hasOlder && (
        <div className="p-3 text-center">
          <button type="button" className={buttonClass} onClick={() => void loadOlder()}>
            Load older snapshots
          </button>
        </div>
      )}
    </div>
  );
}

/** The loaded snapshots on a time line, oldest left: changes in blue, alarming ones in amber. */
function TimelineStrip({ entries }: { entries: TimelineEntry[] }) {
  const times = entries.map((entry) => new Date(entry.collectedAt).getTime());
  const first = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - first);
  return (
    <div aria-hidden className="relative mx-3 my-3 h-6 rounded bg-slate-800/60 light:bg-slate-100">
      {entries.map((entry, index) => (
        <span
          key={entry.id}
          title={`${formatTimestamp(entry.collectedAt)} ${entry.changedSections.join(', ') || 'no change'}`}
          className={`absolute top-1 h-4 w-1 rounded-sm ${isAlarming(entry.diffSummary) ? 'bg-amber-400' : entry.changedSections.length > 0 ? 'bg-sky-500' : 'bg-slate-500'}`}
          style={{ left: `calc(${(((times[index] ?? first) - first) / span) * 100}% - 2px)` }}
        />
      ))}
    </div>
  );
}
