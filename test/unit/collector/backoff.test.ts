import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs } from '@/collector/backoff';

describe('full-jitter backoff', () => {
  it('doubles its ceiling from 1 s up to the 5 min cap', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffCeilingMs(attempt))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffCeilingMs(9)).toBe(256_000);
    expect(backoffCeilingMs(10)).toBe(300_000);
    expect(backoffCeilingMs(10_000)).toBe(300_000);
  });

  it('waits anywhere from 0 up to (not including) the ceiling', () => {
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.999999)).toBe(3_999);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const delay = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => random);
        return Number.isInteger(delay) && delay >= 0 && delay < backoffCeilingMs(attempt) && delay < 300_000;
      }),
    );
  });

  it('honours other bases and caps', () => {
    expect(backoffCeilingMs(1, { baseMs: 50, capMs: 300 })).toBe(50);
    expect(backoffCeilingMs(5, { baseMs: 50, capMs: 300 })).toBe(300);
  });
});
