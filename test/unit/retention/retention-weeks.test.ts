// The week a snapshot's rows live in decides when retention drops them: at least the policy's days
// after collection, at most a week more, never in a week already gone, never past now + days.
import { describe, expect, it } from 'vitest';
import {
  firstSurvivingWeek,
  isExpiredWeek,
  mondayOnOrAfter,
  mondayOnOrBefore,
  retainUntilFor,
  toDateText,
  weeksIngestTargets,
} from '@/lib/retention/retention-weeks';

const at = (iso: string) => new Date(iso);
const day = (iso: string) => toDateText(at(iso));

describe('Mondays', () => {
  it('rounds down and up to Monday 00:00 UTC, leaving a Monday midnight as it is', () => {
    expect(day(mondayOnOrBefore(at('2026-11-21T15:00:00Z')).toISOString())).toBe('2026-11-16');
    expect(day(mondayOnOrAfter(at('2026-11-21T15:00:00Z')).toISOString())).toBe('2026-11-23');
    expect(mondayOnOrBefore(at('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(mondayOnOrAfter(at('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(mondayOnOrAfter(at('2026-11-23T00:00:00.001Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(mondayOnOrBefore(at('1969-12-31T12:00:00Z')).toISOString()).toBe('1969-12-29T00:00:00.000Z');
  });

  it('calls a week expired from its Monday on', () => {
    const monday = at('2026-11-23T00:00:00Z');
    expect(isExpiredWeek(monday, at('2026-11-22T23:59:59Z'))).toBe(false);
    expect(isExpiredWeek(monday, monday)).toBe(true);
    expect(toDateText(firstSurvivingWeek(at('2026-11-23T00:00:00Z')))).toBe('2026-11-30');
  });
});

describe('retainUntilFor', () => {
  const now = at('2026-11-21T15:00:00Z');

  it('keeps a snapshot the policy days after collection, rounded up to a Monday', () => {
    // Monday 2026-12-21 15:00 rounds up to the Monday after.
    expect(toDateText(retainUntilFor(now, 30, now))).toBe('2026-12-28');
    expect(toDateText(retainUntilFor(at('2026-11-20T10:00:00Z'), 365, now))).toBe('2027-11-22');
  });

  it('puts an expired snapshot in this week, which retention drops next', () => {
    expect(toDateText(retainUntilFor(at('2026-08-01T00:00:00Z'), 30, now))).toBe('2026-11-16');
  });

  it('does not trust a collector clock far in the future', () => {
    expect(toDateText(retainUntilFor(at('2030-01-01T00:00:00Z'), 30, now))).toBe('2026-12-28');
  });
});

describe('weeksIngestTargets', () => {
  it('covers the first surviving week and the fresh unchanged and changed weeks, each with the next', () => {
    const weeks = weeksIngestTargets({ unchangedDays: 30, changedDays: 365 }, at('2026-11-21T15:00:00Z')).map(toDateText);
    expect(weeks).toEqual(['2026-11-23', '2026-11-30', '2026-12-28', '2027-01-04', '2027-11-22', '2027-11-29']);
  });

  it('lists a week once when the targets meet', () => {
    const weeks = weeksIngestTargets({ unchangedDays: 1, changedDays: 2 }, at('2026-11-21T15:00:00Z')).map(toDateText);
    expect(weeks).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
  });
});
