// Expiry-week partitioning: every snapshot, section set and section row carries `retainUntil`, the
// Monday (UTC) of the week its retention ends, and lives in that week's partition. Retention drops
// the partitions of weeks that have begun, so it keeps everything at least as long as the policy
// says and at most a week longer (retention is rounded up to whole weeks).
export interface RetentionPolicy {
  /** Days to keep a snapshot that changed nothing. */
  unchangedDays: number;
  /** Days to keep a snapshot that changed something (and closed alerts). */
  changedDays: number;
}

export const defaultRetentionPolicy: RetentionPolicy = { unchangedDays: 30, changedDays: 365 };

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-05 was a Monday: weeks are counted from there.
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** The Monday 00:00 UTC at or before `date`. */
export function mondayOnOrBefore(date: Date): Date {
  const weeks = Math.floor((date.getTime() - FIRST_MONDAY_MS) / WEEK_MS);
  return new Date(FIRST_MONDAY_MS + weeks * WEEK_MS);
}

/** The Monday 00:00 UTC at or after `date`. */
export function mondayOnOrAfter(date: Date): Date {
  const weeks = Math.ceil((date.getTime() - FIRST_MONDAY_MS) / WEEK_MS);
  return new Date(FIRST_MONDAY_MS + weeks * WEEK_MS);
}

export function addWeeks(monday: Date, weeks: number): Date {
  return new Date(monday.getTime() + weeks * WEEK_MS);
}

/** The first Monday after `now`: the earliest week retention does not drop yet. */
export function firstSurvivingWeek(now: Date): Date {
  return addWeeks(mondayOnOrBefore(now), 1);
}

/** Has retention begun to drop this week? (Its Monday has come.) */
export function isExpiredWeek(week: Date, now: Date): boolean {
  return week.getTime() <= now.getTime();
}

/**
 * The week a snapshot collected at `collectedAt` expires: `days` after collection, rounded up to a
 * Monday. Never before this week (whose partition retention drops next, so a late old snapshot goes
 * at once as before), never later than `days` from now (a collector clock far in the future).
 */
export function retainUntilFor(collectedAt: Date, days: number, now: Date): Date {
  const expires = mondayOnOrAfter(new Date(collectedAt.getTime() + days * DAY_MS));
  const earliest = mondayOnOrBefore(now);
  const latest = mondayOnOrAfter(new Date(now.getTime() + days * DAY_MS));
  return new Date(Math.min(Math.max(expires.getTime(), earliest.getTime()), latest.getTime()));
}

/**
 * The weeks a snapshot arriving now lands in (fresh ones: now + unchanged or changed days), each
 * with the week after it so the calendar can turn before the next hourly check, and the first
 * surviving week, where retention moves the snapshots it keeps. Earlier weeks (late snapshots)
 * get their partition when first needed.
 */
export function weeksIngestTargets(policy: RetentionPolicy, now: Date): Date[] {
  const starts = [firstSurvivingWeek(now), retainUntilFor(now, policy.unchangedDays, now), retainUntilFor(now, policy.changedDays, now)];
  const weeks = new Map<number, Date>();
  for (const start of starts) {
    for (const week of [start, addWeeks(start, 1)]) weeks.set(week.getTime(), week);
  }
  return [...weeks.values()].sort((a, b) => a.getTime() - b.getTime());
}

/** `YYYY-MM-DD`, the text of a DATE column. */
export function toDateText(date: Date): string {
  return date.toISOString().slice(0, 10);
}
