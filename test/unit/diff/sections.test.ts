import { describe, expect, it } from 'vitest';
import { diffSnapshots, isEmptyDiff, summarizeDiff } from '@/lib/diff/diff-snapshots';
import { listener, networkInterface, processRow, traceroute } from '@/test/unit/diff/builders';

describe('diffSnapshots: sections not collected', () => {
  it('marks a section missing on either side as not collected, with empty lists', () => {
    const diff = diffSnapshots({ sockets: [listener()] }, { processes: [processRow()] });

    for (const section of [diff.sockets, diff.processes, diff.interfaces, diff.traceroutes]) {
      expect(section).toEqual({ collected: false, added: [], removed: [], changed: [] });
    }
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('treats an empty section as collected and empty (everything in the other side is added)', () => {
    const diff = diffSnapshots({ sockets: [] }, { sockets: [listener()] });

    expect(diff.sockets.collected).toBe(true);
    expect(diff.sockets.added).toHaveLength(1);
  });
});

describe('summarizeDiff and isEmptyDiff', () => {
  it('counts every section and the widened listeners', () => {
    const before = {
      sockets: [listener({ localAddress: '127.0.0.1', localPort: 6379 }), listener({ localPort: 25 })],
      processes: [processRow()],
      interfaces: [networkInterface()],
      traceroutes: [traceroute()],
    };
    const after = {
      sockets: [listener({ localAddress: '0.0.0.0', localPort: 6379 }), listener({ localPort: 8080 })],
      processes: [processRow(), processRow({ pid: 99, command: 'nc' })],
      interfaces: [networkInterface({ promiscuous: true })],
      traceroutes: [],
    };

    const summary = summarizeDiff(diffSnapshots(before, after));
    expect(summary).toEqual({
      sockets: { added: 1, removed: 1, changed: 1 },
      processes: { added: 1, removed: 0, changed: 0 },
      interfaces: { added: 0, removed: 0, changed: 1 },
      traceroutes: { added: 0, removed: 1, changed: 0 },
      packages: { added: 0, removed: 0, changed: 0 },
      widened: 1,
      promiscuousOn: ['eth0'],
      promiscuousOff: [],
    });
    expect(isEmptyDiff(diffSnapshots(before, after))).toBe(false);
  });

  it('sees any single change as non-empty', () => {
    expect(isEmptyDiff(diffSnapshots({ processes: [] }, { processes: [processRow()] }))).toBe(false);
  });
});
