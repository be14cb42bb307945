// Seed 002: OSPatrol's check_diff on BSD `netstat -an | grep LISTEN | ... | sort -d` output.
// OSPatrol alerted on the whole text; the diff must name the one listener that went away.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetstat } from '@/collector/parse/netstat';
import { defaultPromiscuousRules, evaluateAlerts } from '@/lib/alerts/rules/evaluate-alerts';
import { diffSnapshots, isEmptyDiff, summarizeDiff } from '@/lib/diff/diff-snapshots';

function readFixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

const previous = parseNetstat(readFixture('bsd-netstat-listen-previous.txt'));
const current = parseNetstat(readFixture('bsd-netstat-listen-current.txt'));

describe('OSPatrol netstat check_diff (seed 002)', () => {
  it('reads the fixtures as listeners (tcp and tcp6 kept apart)', () => {
    expect(previous).toHaveLength(7);
    expect(current).toHaveLength(6);
    expect(previous.filter((row) => row.localAddress === '*' && row.localPort === 22).map((row) => row.proto)).toEqual(['tcp', 'tcp6']);
  });

  it('reports exactly one change: tcp6 *.22 closed', () => {
    const diff = diffSnapshots({ sockets: previous }, { sockets: current });

    expect(diff.sockets.removed).toEqual([expect.objectContaining({ proto: 'tcp6', localAddress: '*', localPort: 22 })]);
    expect(diff.sockets.added).toEqual([]);
    expect(diff.sockets.changed).toEqual([]);
    expect(summarizeDiff(diff).sockets).toEqual({ added: 0, removed: 1, changed: 0 });
  });

  it('says nothing about the lines that only moved (tcp6 ::1.53 and *.6000)', () => {
    const reorderedOnly = previous.filter((row) => !(row.proto === 'tcp6' && row.localPort === 22));

    expect(isEmptyDiff(diffSnapshots({ sockets: reorderedOnly }, { sockets: current }))).toBe(true);
  });

  it('raises one listener.closed alert, where OSPatrol alerted on the whole output', () => {
    const alerts = evaluateAlerts({
      hostName: 'arrakis',
      hostLabels: [],
      diff: diffSnapshots({ sockets: previous }, { sockets: current }),
      previous: { sockets: previous },
      current: { sockets: current },
      expectedListeners: [],
      promiscuousRules: defaultPromiscuousRules,
    });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'listener.closed',
        dedupeKey: 'listener.closed:tcp6:*:22',
        message: 'arrakis: listener tcp6 *:22 closed (process unknown)',
      }),
    ]);
  });

  it('reports the listener as opened when the outputs are swapped', () => {
    const diff = diffSnapshots({ sockets: current }, { sockets: previous });

    expect(diff.sockets.added).toEqual([expect.objectContaining({ proto: 'tcp6', localAddress: '*', localPort: 22 })]);
    expect(diff.sockets.removed).toEqual([]);
  });
});
