// The subject of a summary alert: one alert standing for many of one kind from one snapshot.
// Shared with the dashboard, which lists the items: no server-only imports here.

/** More alerts of one kind from one snapshot than this become one summary alert. */
export const MAX_ALERTS_PER_KIND_PER_SNAPSHOT = 10;
/** Items a summary's subject lists; the rest are only counted (`moreCount`). */
export const SUMMARY_MAX_LISTED_ITEMS = 100;
/** Items a summary's message names before "and N more". */
export const SUMMARY_MESSAGE_ITEMS = 10;
/** A label or message longer than this is cut in a summary (a 4,096-character process name stays readable). */
export const SUMMARY_ITEM_TEXT_MAX = 200;

export interface AlertSummaryItem {
  dedupeKey: string;
  label: string;
  level: number;
  message: string;
}

export interface AlertSummarySubject {
  /** The kind of every summarised alert (the summary alert has the same kind). */
  summaryOf: string;
  /** How many alerts it stands for. */
  count: number;
  /** The first SUMMARY_MAX_LISTED_ITEMS of them. */
  items: AlertSummaryItem[];
  /** count - items.length: "and N more". */
  moreCount: number;
}

/** The summary in an alert's subject, or null for an ordinary alert (subjects are stored JSON: checked, not trusted). */
export function readAlertSummary(subject: Record<string, unknown> | null | undefined): AlertSummarySubject | null {
  if (!subject || typeof subject.summaryOf !== 'string' || typeof subject.count !== 'number' || typeof subject.moreCount !== 'number') return null;
  if (!Array.isArray(subject.items)) return null;
  const items = (subject.items as unknown[]).filter(isSummaryItem);
  return { summaryOf: subject.summaryOf, count: subject.count, items, moreCount: subject.moreCount };
}

function isSummaryItem(value: unknown): value is AlertSummaryItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return typeof item.dedupeKey === 'string' && typeof item.label === 'string' && typeof item.level === 'number' && typeof item.message === 'string';
}

/** 5000 → "5,000": the same in every locale, so messages and tests agree. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
