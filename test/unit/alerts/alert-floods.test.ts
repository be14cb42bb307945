// Alert floods: more than MAX_ALERTS_PER_KIND_PER_SNAPSHOT alerts of one kind from one snapshot
// become one summary alert that lists them, for every kind.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, type SnapshotSections } from '@/lib/diff/diff-snapshots';
import {
  defaultPromiscuousRules,
  evaluateAlerts,
  MAX_ALERTS_PER_KIND_PER_SNAPSHOT,
  readAlertSummary,
  type AlertCandidate,
  type AlertKind,
} from '@/lib/alerts/rules/evaluate-alerts';
import { summarizeFloods } from '@/lib/alerts/rules/summarize-floods';
import { hop, listener, networkInterface, processRow, traceroute } from '@/test/unit/diff/builders';

function evaluate(previous: SnapshotSections, current: SnapshotSections): AlertCandidate[] {
  return evaluateAlerts({
    hostName: 'web-01',
    hostLabels: [],
    diff: diffSnapshots(previous, current),
    previous,
    current,
    expectedListeners: [],
    promiscuousRules: defaultPromiscuousRules,
  });
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);
const ssh = listener();
const webListeners = (count: number, firstPort = 8000) => range(count).map((index) => listener({ localPort: firstPort + index, process: 'web', pid: 900 }));

describe('a snapshot with 5,000 new listeners', () => {
  const flood = webListeners(5000);
  const opened = evaluate({ sockets: [ssh] }, { sockets: [ssh, ...flood] });

  it('raises one summary alert, not 5,000', () => {
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ kind: 'listener.opened', level: 10 });
  });

  it('says how many and names the first ten, readably', () => {
    const named = range(10)
      .map((index) => `tcp 0.0.0.0:${8000 + index}`)
      .join(', ');
    expect(opened[0]?.message).toBe(`web-01: 5,000 new listeners (${named} and 4,990 more)`);
  });

  it('lists the items in its subject, capped, with the count of the rest', () => {
    const summary = readAlertSummary(opened[0]?.subject);
    expect(summary).toMatchObject({ summaryOf: 'listener.opened', count: 5000, moreCount: 4900 });
    expect(summary?.items).toHaveLength(100);
    expect(summary?.items[0]).toEqual({
      dedupeKey: 'listener.opened:tcp:0.0.0.0:8000',
      label: 'tcp 0.0.0.0:8000',
      level: 10,
      message: 'web-01: new listener tcp 0.0.0.0:8000 (web, pid 900, user root)',
    });
  });

  it('has its own dedupe key: the same flood again updates it, another flood opens another', () => {
    expect(opened[0]?.dedupeKey).toMatch(/^listener\.opened:summary:[0-9a-f]{16}$/);
    const sameFloodReordered = evaluate({ sockets: [ssh] }, { sockets: [ssh, ...[...flood].reverse()] });
    expect(sameFloodReordered[0]?.dedupeKey).toBe(opened[0]?.dedupeKey);
    const otherFlood = evaluate({ sockets: [ssh] }, { sockets: [ssh, ...webListeners(5000, 20000)] });
    expect(otherFlood[0]?.dedupeKey).not.toBe(opened[0]?.dedupeKey);
  });

  it('raises one listener.closed summary when they all close again', () => {
    const closed = evaluate({ sockets: [ssh, ...flood] }, { sockets: [ssh] });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ kind: 'listener.closed', level: 5, dedupeKey: expect.stringMatching(/^listener\.closed:summary:/) });
    expect(closed[0]?.message).toMatch(/^web-01: 5,000 listeners closed \(tcp 0\.0\.0\.0:8000, .* and 4,990 more\)$/);
  });
});

describe('the limit', () => {
  it(`keeps ${MAX_ALERTS_PER_KIND_PER_SNAPSHOT} alerts of one kind as they are and summarises one more`, () => {
    const atLimit = evaluate({ sockets: [ssh] }, { sockets: [ssh, ...webListeners(MAX_ALERTS_PER_KIND_PER_SNAPSHOT)] });
    expect(atLimit.map((alert) => alert.dedupeKey)).toEqual(range(10).map((index) => `listener.opened:tcp:0.0.0.0:${8000 + index}`));

    const overLimit = evaluate({ sockets: [ssh] }, { sockets: [ssh, ...webListeners(MAX_ALERTS_PER_KIND_PER_SNAPSHOT + 1)] });
    expect(overLimit).toHaveLength(1);
    expect(overLimit[0]?.message).toBe(
      `web-01: 11 new listeners (${range(10)
        .map((index) => `tcp 0.0.0.0:${8000 + index}`)
        .join(', ')} and 1 more)`,
    );
    expect(readAlertSummary(overLimit[0]?.subject)).toMatchObject({ count: 11, moreCount: 0 });
  });

  it('counts each kind on its own: a flood of one kind leaves the few of another alone', () => {
    const closing = [listener({ localPort: 25, process: 'exim' }), listener({ localPort: 110, process: 'pop3d' })];
    const alerts = evaluate({ sockets: [ssh, ...closing] }, { sockets: [ssh, ...webListeners(20)] });
    expect(alerts.map((alert) => [alert.kind, alert.dedupeKey.includes(':summary:')])).toEqual([
      ['listener.opened', true],
      ['listener.closed', false],
      ['listener.closed', false],
    ]);
  });

  it('gives a summary the highest level of what it summarises', () => {
    const candidates: AlertCandidate[] = range(12).map((index) => ({
      kind: 'traceroute.unreachable',
      level: index === 7 ? 14 : 8,
      dedupeKey: `traceroute.unreachable:target-${index}`,
      message: `web-01: traceroute to target-${index}: unreachable`,
      subject: {},
      label: `target-${index}`,
    }));
    expect(summarizeFloods('web-01', candidates)).toEqual([expect.objectContaining({ level: 14 })]);
  });

  it('cuts a 4,096-character name in its list, not in the item it stands for', () => {
    const longName = 'x'.repeat(4096);
    const alerts = evaluate(
      { processes: [processRow()] },
      { processes: [processRow(), ...range(11).map((index) => processRow({ pid: 1000 + index, command: `${longName}${index}` }))] },
    );
    const summary = readAlertSummary(alerts[0]?.subject);
    expect(summary?.items[0]?.label).toHaveLength(200);
    expect(summary?.items[0]?.label.endsWith('…')).toBe(true);
    expect(alerts[0]?.message.length).toBeLessThan(2500);
  });
});

/** For each kind, a snapshot pair raising `count` alerts of it (packages group from two: test/unit/alerts/package-alerts.test.ts). */
const floods: Record<
  Exclude<AlertKind, 'host.silent' | 'package.installed' | 'package.removed' | 'package.changed'>,
  (count: number) => [SnapshotSections, SnapshotSections]
> = {
  'listener.opened': (count) => [{ sockets: [ssh] }, { sockets: [ssh, ...webListeners(count)] }],
  'listener.closed': (count) => [{ sockets: [ssh, ...webListeners(count)] }, { sockets: [ssh] }],
  'listener.widened': (count) => [{ sockets: webListeners(count).map((row) => ({ ...row, localAddress: '127.0.0.1' })) }, { sockets: webListeners(count) }],
  'listener.owner_changed': (count) => [{ sockets: webListeners(count) }, { sockets: webListeners(count).map((row) => ({ ...row, process: 'intruder' })) }],
  'interface.promiscuous_on': (count) => [
    { interfaces: range(count).map((index) => networkInterface({ name: `eth${index}` })) },
    { interfaces: range(count).map((index) => networkInterface({ name: `eth${index}`, promiscuous: true })) },
  ],
  'interface.promiscuous_off': (count) => [
    { interfaces: range(count).map((index) => networkInterface({ name: `eth${index}`, promiscuous: true })) },
    { interfaces: range(count).map((index) => networkInterface({ name: `eth${index}` })) },
  ],
  // Programs the host already ran, whose executables are then deleted under them.
  'process.deleted_executable': (count) => [
    {
      processes: [
        processRow(),
        ...range(count).map((index) => processRow({ pid: 3000 + index, command: `implant-${index}`, exe: `/opt/x/implant-${index}`, exeDeleted: false })),
      ],
    },
    {
      processes: [
        processRow(),
        ...range(count).map((index) => processRow({ pid: 4000 + index, command: `implant-${index}`, exe: `/opt/x/implant-${index}`, exeDeleted: true })),
      ],
    },
  ],
  'process.new_binary': (count) => [
    { processes: [processRow()] },
    { processes: [processRow(), ...range(count).map((index) => processRow({ pid: 2000 + index, command: `miner-${index}` }))] },
  ],
  'traceroute.unreachable': (count) => [
    { traceroutes: [] },
    { traceroutes: range(count).map((index) => traceroute({ target: `target-${index}.example`, hops: [hop(1, '10.0.0.1', [5, 5, 5], '!H')] })) },
  ],
  'traceroute.latency_jump': (count) => [
    { traceroutes: [] },
    {
      traceroutes: range(count).map((index) =>
        traceroute({ target: `target-${index}.example`, hops: [hop(1, '10.0.0.1', [5, 5, 5]), hop(2, '10.0.0.2', [400, 400, 400])] }),
      ),
    },
  ],
};

describe.each(Object.entries(floods))('%s', (kind, scenario) => {
  it(`raises ${MAX_ALERTS_PER_KIND_PER_SNAPSHOT} alerts as they are, and 11 as one summary`, () => {
    const [fewBefore, fewAfter] = scenario(MAX_ALERTS_PER_KIND_PER_SNAPSHOT);
    const few = evaluate(fewBefore, fewAfter);
    expect(few.map((alert) => alert.kind)).toEqual(Array(MAX_ALERTS_PER_KIND_PER_SNAPSHOT).fill(kind));

    const [manyBefore, manyAfter] = scenario(MAX_ALERTS_PER_KIND_PER_SNAPSHOT + 1);
    const many = evaluate(manyBefore, manyAfter);
    expect(many).toHaveLength(1);
    expect(many[0]?.kind).toBe(kind);
    expect(many[0]?.dedupeKey).toMatch(new RegExp(`^${kind.replace('.', '\\.')}:summary:[0-9a-f]{16}$`));
    expect(many[0]?.message).toMatch(/^web-01: 11 .+ \(.+ and 1 more\)$/);
    expect(readAlertSummary(many[0]?.subject)).toMatchObject({ summaryOf: kind, count: 11 });
  });
});

describe('readAlertSummary', () => {
  it('finds no summary in an ordinary subject or in garbage', () => {
    expect(readAlertSummary({ proto: 'tcp', localPort: 22 })).toBeNull();
    expect(readAlertSummary({ summaryOf: 'listener.opened', count: '3', items: [], moreCount: 0 })).toBeNull();
    expect(readAlertSummary(null)).toBeNull();
  });
});
