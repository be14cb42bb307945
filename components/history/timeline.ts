// How a host's timeline shows a snapshot: which sections changed (in one order, one colour each),
// the counts of what changed, whether it is alarming, and the link to a diff of two snapshots.
import { hostPath } from '@/components/common/url-state';
import type { DiffSummary, SectionCounts } from '@/lib/diff/types';

export const sectionOrder = ['sockets', 'processes', 'interfaces', 'packages', 'traceroutes'] as const;

export const sectionColour: Record<(typeof sectionOrder)[number], string> = {
  sockets: 'bg-sky-500/20 text-sky-300 light:text-sky-800',
  processes: 'bg-violet-500/20 text-violet-300 light:text-violet-800',
  interfaces: 'bg-red-500/20 text-red-300 light:text-red-800',
  traceroutes: 'bg-teal-500/20 text-teal-300 light:text-teal-800',
  packages: 'bg-orange-500/20 text-orange-300 light:text-orange-800',
};

/** The diff page of two snapshots, the older as `from` whichever was picked first. */
export const diffPath = (host: string, fromId: string, toId: string) => {
  const [older, newer] = BigInt(fromId) <= BigInt(toId) ? [fromId, toId] : [toId, fromId];
  return hostPath(host, `/diff?from=${encodeURIComponent(older)}&to=${encodeURIComponent(newer)}`);
};

/** "+2 −1 ~3"; summaries stored before a section existed (packages) have no counts for it. */
export function formatCounts(counts: SectionCounts | undefined): string {
  if (!counts) return '';
  return [counts.added ? `+${counts.added}` : '', counts.removed ? `−${counts.removed}` : '', counts.changed ? `~${counts.changed}` : '']
    .filter(Boolean)
    .join(' ');
}

/** A change to look at: an interface turned promiscuous, a listener widened or opened, a package installed. */
export function isAlarming(summary: DiffSummary | null): boolean {
  return Boolean(summary && (summary.promiscuousOn.length > 0 || summary.widened > 0 || summary.sockets.added > 0 || (summary.packages?.added ?? 0) > 0));
}
