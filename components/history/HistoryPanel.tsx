'use client';
// A host's timeline: every snapshot, the ones that changed marked with what changed. Pick any two
// (From / To) to see their diff; new snapshots arrive live at the top.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { listSnapshots, type TimelineEntry } from '@/components/api/client';
import { FailureMessage } from '@/components/common/FailureMessage';
import { LoadOlder } from '@/components/common/LoadOlder';
import { useNow } from '@/components/common/RelativeTime';
import { primaryButtonClass } from '@/components/common/styles';
import { useLiveList } from '@/components/realtime/use-live-list';
import { DataTable } from '@/components/table/DataTable';
import { diffPath, isAlarming } from './timeline';
import { timelineColumns, type TimelineRow } from './timeline-columns';
import { NoSnapshots, OneSnapshot } from './timeline-notes';
import { TimelineStrip } from './TimelineStrip';

const PAGE_SIZE = 50;

interface TimelineQuery {
  hostName: string;
  changedOnly: boolean;
}

function rowLook(entry: TimelineEntry, isFresh: boolean): string | undefined {
  if (isFresh) return 'bg-sky-500/15';
  if (isAlarming(entry.diffSummary)) return 'shadow-[inset_3px_0_0_0] shadow-amber-400';
  return entry.changedSections.length > 0 ? 'shadow-[inset_3px_0_0_0] shadow-sky-500' : undefined;
}

export function HistoryPanel({ hostName, intervalSeconds }: { hostName: string; intervalSeconds: number }) {
  const [changedOnly, setChangedOnly] = useState(true);
  const [fromId, setFromId] = useState<string | null>(null);
  const [toId, setToId] = useState<string | null>(null);
  const now = useNow();
  const snapshots = useLiveList({
    query: { hostName, changedOnly },
    initial: null,
    paging: 'older',
    pageSize: PAGE_SIZE,
    maxPageSize: 1000,
    rowKey: (entry: TimelineEntry) => entry.id,
    load: async (wanted: TimelineQuery, at) => ({
      rows: await listSnapshots(wanted.hostName, { limit: at.pageSize, changedOnly: wanted.changedOnly ? '1' : undefined, before: at.before?.id }),
    }),
    live: {
      snapshot: (event, list) => {
        if (event.host !== hostName) return;
        if (changedOnly && !Object.values(event.changed).some(Boolean)) return;
        list.scheduleReload();
      },
    },
  });
  const entries = snapshots.rows;
  const rows = useMemo(() => entries.map((entry, index): TimelineRow => ({ entry, previous: entries[index + 1] })), [entries]);
  const showAll = () => setChangedOnly(false);

  const canCompare = fromId !== null && toId !== null && fromId !== toId;
  return (
    <div data-testid="history">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-800 p-3 text-sm light:border-slate-200">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={changedOnly} onChange={(event) => setChangedOnly(event.target.checked)} />
          Only snapshots with changes
        </label>
        <span className="text-xs text-slate-400 light:text-slate-600">
          Pick a <strong>From</strong> and a <strong>To</strong> snapshot to compare them.
        </span>
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
      {entries.length > 1 && <TimelineStrip entries={entries} />}
      <DataTable
        rows={rows}
        columns={timelineColumns(hostName, { fromId, toId, pickFrom: setFromId, pickTo: setToId }, now)}
        rowKey={(row) => row.entry.id}
        rowProps={(row) => ({ 'data-snapshot-id': row.entry.id, className: rowLook(row.entry, snapshots.isFresh(row.entry.id)) })}
        testId="timeline"
        empty={snapshots.isLoaded ? <NoSnapshots changedOnly={changedOnly} intervalSeconds={intervalSeconds} onShowAll={showAll} /> : 'Loading the timeline…'}
      />
      {entries.length === 1 && !snapshots.hasOlder && <OneSnapshot changedOnly={changedOnly} intervalSeconds={intervalSeconds} onShowAll={showAll} />}
      <FailureMessage message={snapshots.failure && `Could not load the timeline: ${snapshots.failure}`} />
      <LoadOlder hasOlder={snapshots.hasOlder} onLoad={snapshots.loadOlder} className="p-3">
        Load older snapshots
      </LoadOlder>
    </div>
  );
}
