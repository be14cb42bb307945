// The loaded snapshots on a time line, oldest left: changes in blue, alarming ones in amber.
import type { TimelineEntry } from '@/components/api/client';
import { formatTimestamp } from '@/components/common/RelativeTime';
import { isAlarming } from './timeline';

export function TimelineStrip({ entries }: { entries: readonly TimelineEntry[] }) {
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
