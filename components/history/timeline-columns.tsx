// The timeline's columns: From / To pickers, when, which sections changed, the counts, and a diff
// with the snapshot before.
import Link from 'next/link';
import type { TimelineEntry } from '@/components/api/client';
import { formatTimestamp, RelativeTime } from '@/components/common/RelativeTime';
import { chipClass } from '@/components/common/styles';
import type { Column } from '@/components/table/column';
import { diffPath, formatCounts, sectionColour, sectionOrder } from './timeline';

/** A snapshot and the one loaded before it (older), for "Diff with previous". */
export interface TimelineRow {
  entry: TimelineEntry;
  previous: TimelineEntry | undefined;
}

export interface Comparison {
  fromId: string | null;
  toId: string | null;
  pickFrom: (id: string) => void;
  pickTo: (id: string) => void;
}

function ChangedSections({ entry }: { entry: TimelineEntry }) {
  return (
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
  );
}

function WhatChanged({ entry }: { entry: TimelineEntry }) {
  const summary = entry.diffSummary;
  if (summary === null) return <span className="text-slate-400 light:text-slate-600">First snapshot</span>;
  return (
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
  );
}

/** A radio column choosing one end of the comparison. */
function pickColumn(end: 'from' | 'to', comparison: Comparison): Column<TimelineRow> {
  const [checkedId, pick] = end === 'from' ? [comparison.fromId, comparison.pickFrom] : [comparison.toId, comparison.pickTo];
  return {
    id: end,
    header: end === 'from' ? 'From' : 'To',
    width: 'w-16',
    cell: ({ entry }) => (
      <input
        type="radio"
        name={`diff-${end}`}
        aria-label={`Compare ${end} snapshot ${entry.id}`}
        checked={checkedId === entry.id}
        onChange={() => pick(entry.id)}
      />
    ),
  };
}

export function timelineColumns(hostName: string, comparison: Comparison, now: number): Column<TimelineRow>[] {
  return [
    pickColumn('from', comparison),
    pickColumn('to', comparison),
    {
      id: 'collected',
      header: 'Collected',
      width: 'w-56',
      className: 'tabular-nums',
      cell: ({ entry }) => (
        <>
          <span title={entry.collectedAt}>{formatTimestamp(entry.collectedAt)}</span>{' '}
          <span className="text-xs text-slate-500">
            (<RelativeTime iso={entry.collectedAt} now={now} />)
          </span>
        </>
      ),
    },
    { id: 'changed', header: 'Changed', width: 'w-64', cell: ({ entry }) => <ChangedSections entry={entry} /> },
    { id: 'what', header: 'What changed', className: 'text-xs', cell: ({ entry }) => <WhatChanged entry={entry} /> },
    {
      id: 'actions',
      header: 'Actions',
      isHeaderHidden: true,
      width: 'w-40',
      className: 'text-right',
      cell: ({ entry, previous }) =>
        previous && (
          <Link className="link text-xs" href={diffPath(hostName, previous.id, entry.id)}>
            Diff with previous
          </Link>
        ),
    },
  ];
}
