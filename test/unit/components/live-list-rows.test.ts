// A live list keeps each row once: arrivals on top, updates in place, older rows below, and a
// reload that keeps what was loaded.
import { describe, expect, it } from 'vitest';
import { arrivedKeys, reloadLimit, withOlderRows, withRowAdded, withRowUpdated } from '@/components/realtime/live-list-rows';

interface Alert {
  id: number;
  state: string;
}
const keyOf = (alert: Alert) => alert.id;
const list: Alert[] = [
  { id: 3, state: 'open' },
  { id: 2, state: 'open' },
  { id: 1, state: 'closed' },
];

describe('live list rows', () => {
  it('puts an arrival on top, once, even when an earlier copy of it is listed', () => {
    expect(withRowAdded(list, { id: 4, state: 'open' }, keyOf).map(keyOf)).toEqual([4, 3, 2, 1]);
    expect(withRowAdded(list, { id: 2, state: 'acknowledged' }, keyOf)).toEqual([
      { id: 2, state: 'acknowledged' },
      { id: 3, state: 'open' },
      { id: 1, state: 'closed' },
    ]);
  });

  it('changes a listed row in place and leaves the list alone for a row it does not hold', () => {
    expect(withRowUpdated(list, 2, (alert) => ({ ...alert, state: 'acknowledged' }), keyOf)[1]).toEqual({ id: 2, state: 'acknowledged' });
    expect(withRowUpdated(list, 9, (alert) => ({ ...alert, state: 'acknowledged' }), keyOf)).toEqual(list);
  });

  it('appends older rows without repeating one that moved down while they loaded', () => {
    expect(
      withOlderRows(
        list,
        [
          { id: 1, state: 'closed' },
          { id: 0, state: 'open' },
        ],
        keyOf,
      ).map(keyOf),
    ).toEqual([3, 2, 1, 0]);
  });

  it('names what a reload brought', () => {
    expect(arrivedKeys(list, [{ id: 5, state: 'open' }, ...list], keyOf)).toEqual([5]);
    expect(arrivedKeys(list, list.slice(1), keyOf)).toEqual([]);
  });

  it('reloads what was loaded and one more, at least a page and at most the API limit', () => {
    expect(reloadLimit(0, 50, 1000)).toBe(50);
    expect(reloadLimit(120, 50, 1000)).toBe(121);
    expect(reloadLimit(1000, 50, 1000)).toBe(1000);
  });
});
