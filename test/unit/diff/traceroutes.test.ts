import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '@/lib/diff/diff-snapshots';
import type { TracerouteRun } from '@/lib/schemas/snapshot';
import { hop, traceroute } from '@/test/unit/diff/builders';

function diffTraceroutes(before: TracerouteRun[], after: TracerouteRun[]) {
  return diffSnapshots({ traceroutes: before }, { traceroutes: after }).traceroutes;
}

describe('diffSnapshots: traceroutes', () => {
  it('ignores RTTs and start times (they differ on every run)', () => {
    const before = traceroute({ startedAt: '2026-11-21T10:00:00.000Z' });
    const after = traceroute({
      startedAt: '2026-11-21T10:10:00.000Z',
      hops: [hop(1, '208.225.64.50', [7, 8, 9]), hop(2, '10.10.0.1', [11, 12, 13]), hop(3, '206.66.12.202', [30, 31, 32])],
    });

    expect(diffTraceroutes([before], [after]).changed).toEqual([]);
  });

  it('reports a different router at a hop as a path change', () => {
    const before = traceroute();
    const after = traceroute({
      hops: [hop(1, '208.225.64.50', [4.8]), hop(2, '172.16.9.9', [9.5]), hop(3, '206.66.12.202', [20.1])],
    });

    expect(diffTraceroutes([before], [after]).changed).toEqual([{ before, after, changes: ['path'] }]);
  });

  it('reports a longer route as hopCount and path', () => {
    const before = traceroute();
    const after = traceroute({
      hops: [hop(1, '208.225.64.50', [4.8]), hop(2, '10.10.0.1', [9.5]), hop(3, '10.20.0.1', [15]), hop(4, '206.66.12.202', [20])],
    });

    expect(diffTraceroutes([before], [after]).changed[0]?.changes).toEqual(['hopCount', 'path']);
  });

  it('does not count a hop that did not answer (`* * *`) as a path change', () => {
    const after = traceroute({
      hops: [hop(1, '208.225.64.50', [4.8]), hop(2, null, [null, null, null]), hop(3, '206.66.12.202', [20.1])],
    });

    expect(diffTraceroutes([traceroute()], [after]).changed).toEqual([]);
  });

  it('compares the responders of a hop as a set (load-balanced hops answer from several routers)', () => {
    const balanced = (first: string, second: string): TracerouteRun =>
      traceroute({
        hops: [
          hop(1, '208.225.64.50', [4.8]),
          {
            hop: 2,
            probes: [
              { address: first, name: null, rttMs: 9, annotation: null },
              { address: second, name: null, rttMs: 9, annotation: null },
            ],
          },
          hop(3, '206.66.12.202', [20.1]),
        ],
      });

    expect(diffTraceroutes([balanced('10.0.0.1', '10.0.0.2')], [balanced('10.0.0.2', '10.0.0.1')]).changed).toEqual([]);
  });

  it('reports a new unreachable annotation and a new target address', () => {
    const before = traceroute();
    const after = traceroute({
      targetAddress: '206.66.12.203',
      hops: [hop(1, '208.225.64.50', [4.8]), hop(2, '10.10.0.1', [9.5], '!H'), hop(3, '206.66.12.202', [20.1])],
    });

    expect(diffTraceroutes([before], [after]).changed[0]?.changes).toEqual(['targetAddress', 'annotations']);
  });

  it('keys runs by target, so a new target is added', () => {
    const other = traceroute({ target: 'example.net', targetAddress: '93.184.216.34' });

    expect(diffTraceroutes([traceroute()], [traceroute(), other]).added).toEqual([other]);
  });
});
