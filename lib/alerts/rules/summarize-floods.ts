// Alert floods: one snapshot with 5,000 new listeners is one event for an analyst, not 5,000
// alerts, 5,000 syslog datagrams and 5,000 webhook calls. Beyond a few alerts of one kind, the
// snapshot's alerts of that kind become one summary alert that lists them.
import { createHash } from 'node:crypto';
import {
  MAX_ALERTS_PER_KIND_PER_SNAPSHOT,
  SUMMARY_ITEM_TEXT_MAX,
  SUMMARY_MAX_LISTED_ITEMS,
  SUMMARY_MESSAGE_ITEMS,
  formatCount,
  type AlertSummaryItem,
  type AlertSummarySubject,
} from '@/lib/alerts/rules/alert-summary';
import type { AlertCandidate, AlertKind } from '@/lib/alerts/rules/types';

/** How a summary names many alerts of one kind: "5,000 new listeners". */
const summaryPhrases: Record<AlertKind, string> = {
  'listener.opened': 'new listeners',
  'listener.closed': 'listeners closed',
  'listener.widened': 'listeners widened',
  'listener.owner_changed': 'listeners changed owner',
  'interface.promiscuous_on': 'interfaces in promiscuous mode',
  'interface.promiscuous_off': 'interfaces left promiscuous mode',
  'process.new_binary': 'new programs',
  'process.deleted_executable': 'programs running from a deleted executable',
  'traceroute.unreachable': 'traceroute targets unreachable',
  'traceroute.latency_jump': 'traceroute latency jumps',
  'package.installed': 'packages installed',
  'package.removed': 'packages removed',
  'package.changed': 'packages upgraded or downgraded',
  'host.silent': 'silent hosts',
};

/**
 * Alerts of one kind from one snapshot above this many become a summary. Packages change in batches
 * (an `apt upgrade` of 40), so two or more are one alert; the rest are grouped past a few.
 */
function summaryThreshold(kind: AlertKind): number {
  return kind.startsWith('package.') ? 1 : MAX_ALERTS_PER_KIND_PER_SNAPSHOT;
}

/** The candidates with every kind that has more than the limit replaced by one summary, in first-seen order. */
export function summarizeFloods(hostName: string, candidates: readonly AlertCandidate[]): AlertCandidate[] {
  const byKind = new Map<AlertKind, AlertCandidate[]>();
  for (const candidate of candidates) {
    const group = byKind.get(candidate.kind);
    if (group) group.push(candidate);
    else byKind.set(candidate.kind, [candidate]);
  }
  return [...byKind.entries()].flatMap(([kind, group]) => (group.length > summaryThreshold(kind) ? [createSummaryCandidate(hostName, kind, group)] : group));
}

/** Port 8000 before port 10000: labels compare with their numbers read as numbers. */
const byLabel = new Intl.Collator('en', { numeric: true });

function createSummaryCandidate(hostName: string, kind: AlertKind, candidates: readonly AlertCandidate[]): AlertCandidate {
  const group = [...candidates].sort((a, b) => byLabel.compare(a.label, b.label));
  const count = group.length;
  const named = group.slice(0, SUMMARY_MESSAGE_ITEMS).map((candidate) => shorten(candidate.label));
  const rest = count - named.length;
  const list = rest > 0 ? `${named.join(', ')} and ${formatCount(rest)} more` : named.join(', ');
  const items = group.slice(0, SUMMARY_MAX_LISTED_ITEMS).map(toSummaryItem);
  const subject: AlertSummarySubject = { summaryOf: kind, count, items, moreCount: count - items.length };
  return {
    kind,
    level: Math.max(...group.map((candidate) => candidate.level)),
    dedupeKey: summaryDedupeKey(kind, group),
    message: `${hostName}: ${formatCount(count)} ${summaryPhrases[kind]} (${list})`,
    subject: { ...subject },
    label: `${formatCount(count)} ${summaryPhrases[kind]}`,
  };
}

/**
 * Names the set of subjects, whatever their order: the same flood again updates the one summary,
 * while a different flood opens its own (an acknowledged summary must not swallow new listeners).
 */
function summaryDedupeKey(kind: AlertKind, group: readonly AlertCandidate[]): string {
  const keys = group.map((candidate) => candidate.dedupeKey).sort();
  const digest = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 16);
  return `${kind}:summary:${digest}`;
}

function toSummaryItem(candidate: AlertCandidate): AlertSummaryItem {
  return { dedupeKey: shorten(candidate.dedupeKey), label: shorten(candidate.label), level: candidate.level, message: shorten(candidate.message) };
}

/** Cut at a code point, never inside a surrogate pair. */
function shorten(text: string): string {
  if (text.length <= SUMMARY_ITEM_TEXT_MAX) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= SUMMARY_ITEM_TEXT_MAX) return text;
  return `${codePoints.slice(0, SUMMARY_ITEM_TEXT_MAX - 1).join('')}…`;
}
