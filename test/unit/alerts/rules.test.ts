import { describe, expect, it } from 'vitest';
import { diffSnapshots, type SnapshotSections } from '@/lib/diff/diff-snapshots';
import {
  defaultPromiscuousRules,
  evaluateAlerts,
  matchesGlob,
  silentHostAlert,
  type AlertCandidate,
  type AlertRuleInput,
  type ExpectedListener,
  type PromiscuousRule,
} from '@/lib/alerts/rules/evaluate-alerts';
import { connection, hop, listener, networkInterface, processRow, traceroute } from '@/test/unit/diff/builders';

interface Scenario {
  previous: SnapshotSections | null;
  current: SnapshotSections;
  baselines?: ExpectedListener[];
  promiscuousRules?: PromiscuousRule[];
  hostName?: string;
  hostLabels?: string[];
}

function evaluate(scenario: Scenario): AlertCandidate[] {
  const input: AlertRuleInput = {
    hostName: scenario.hostName ?? 'web-01',
    hostLabels: scenario.hostLabels ?? [],
    diff: diffSnapshots(scenario.previous ?? {}, scenario.current),
    previous: scenario.previous,
    current: scenario.current,
    expectedListeners: scenario.baselines ?? [],
    promiscuousRules: scenario.promiscuousRules ?? defaultPromiscuousRules,
  };
  return evaluateAlerts(input);
}

function baseline(overrides: Partial<ExpectedListener> = {}): ExpectedListener {
  return { hostName: null, label: null, proto: null, port: 8080, localAddress: null, process: null, ...overrides };
}

const ssh = listener();
const web = listener({ localPort: 8080, process: 'nginx', pid: 900, user: 'www-data', uid: 33 });
const promiscuousEth0 = networkInterface({ promiscuous: true, flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'] });

describe('listener alerts', () => {
  it('raises listener.opened (level 10) for a new listener', () => {
    expect(evaluate({ previous: { sockets: [ssh] }, current: { sockets: [ssh, web] } })).toEqual([
      {
        kind: 'listener.opened',
        level: 10,
        dedupeKey: 'listener.opened:tcp:0.0.0.0:8080',
        message: 'web-01: new listener tcp 0.0.0.0:8080 (nginx, pid 900, user www-data)',
        subject: { proto: 'tcp', localAddress: '0.0.0.0', localPort: 8080, pid: 900, process: 'nginx', user: 'www-data', uid: 33 },
        label: 'tcp 0.0.0.0:8080',
      },
    ]);
  });

  it('raises listener.closed (level 5) for a listener that went away', () => {
    const v6ssh = listener({ proto: 'tcp6', localAddress: '*', process: null, pid: null, user: null, uid: null });
    const alerts = evaluate({ previous: { sockets: [ssh, v6ssh] }, current: { sockets: [ssh] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'listener.closed',
        level: 5,
        dedupeKey: 'listener.closed:tcp6:*:22',
        message: 'web-01: listener tcp6 *:22 closed (process unknown)',
      }),
    ]);
  });

  it('raises listener.widened (level 10) when a loopback listener binds every address', () => {
    const redis = (localAddress: string) => listener({ localAddress, localPort: 6379, process: 'redis-server', pid: 77, user: 'redis' });
    const alerts = evaluate({ previous: { sockets: [redis('127.0.0.1')] }, current: { sockets: [redis('0.0.0.0')] } });

    expect(alerts).toEqual([
      {
        kind: 'listener.widened',
        level: 10,
        dedupeKey: 'listener.widened:tcp:0.0.0.0:6379',
        message: 'web-01: listener tcp 127.0.0.1:6379 widened to 0.0.0.0:6379 (redis-server, pid 77, user redis)',
        subject: expect.objectContaining({ localAddress: '0.0.0.0', previousLocalAddress: '127.0.0.1', localPort: 6379 }),
        label: 'tcp 0.0.0.0:6379',
      },
    ]);
  });

  it('formats IPv6 endpoints with brackets', () => {
    const dns = (localAddress: string) => listener({ proto: 'tcp6', localAddress, localPort: 53, process: 'named' });
    const [alert] = evaluate({ previous: { sockets: [dns('::1')] }, current: { sockets: [dns('::')] } });

    expect(alert?.message).toBe('web-01: listener tcp6 [::1]:53 widened to [::]:53 (named, pid 671, user root)');
  });

  it('raises nothing for a narrowed listener or new connections', () => {
    const alerts = evaluate({
      previous: { sockets: [listener({ localPort: 5432 }), listener({ localPort: 25, process: 'exim' })] },
      current: { sockets: [listener({ localAddress: '127.0.0.1', localPort: 5432 }), listener({ localPort: 25, process: 'exim', pid: 7777 }), connection()] },
    });

    expect(alerts).toEqual([]);
  });

  it('does not flood on the first snapshot (no listener.opened for every listener)', () => {
    expect(evaluate({ previous: null, current: { sockets: [ssh, web] } })).toEqual([]);
    expect(evaluate({ previous: { processes: [] }, current: { sockets: [ssh, web] } })).toEqual([]);
  });

  it('raises one alert for a new listener shared by several workers', () => {
    const workers = [901, 902, 903].map((pid) => ({ ...web, pid }));
    const alerts = evaluate({ previous: { sockets: [ssh] }, current: { sockets: [ssh, ...workers] } });

    expect(alerts.map((alert) => alert.dedupeKey)).toEqual(['listener.opened:tcp:0.0.0.0:8080']);
  });

  it('raises nothing when a worker joins or leaves a listener that stays open', () => {
    const workers = (pids: number[]) => pids.map((pid) => ({ ...web, pid }));

    expect(evaluate({ previous: { sockets: workers([1, 2]) }, current: { sockets: workers([1, 2, 3]) } })).toEqual([]);
    expect(evaluate({ previous: { sockets: workers([1, 2, 3]) }, current: { sockets: workers([1]) } })).toEqual([]);
  });
});

describe('baselines', () => {
  const opened = (scenario: Omit<Scenario, 'previous' | 'current'>) =>
    evaluate({ previous: { sockets: [ssh] }, current: { sockets: [ssh, web] }, ...scenario });

  it('silences an expected listener on its host', () => {
    expect(opened({ baselines: [baseline({ hostName: 'web-01' })] })).toEqual([]);
  });

  it('does not silence it on another host', () => {
    expect(opened({ baselines: [baseline({ hostName: 'db-01' })] })).toHaveLength(1);
  });

  it('silences it on every host carrying the label, and only there', () => {
    expect(opened({ hostLabels: ['web', 'prod'], baselines: [baseline({ label: 'web' })] })).toEqual([]);
    expect(opened({ hostLabels: ['db'], baselines: [baseline({ label: 'web' })] })).toHaveLength(1);
  });

  it('matches every field that is set, and anything where a field is null', () => {
    expect(opened({ baselines: [baseline({ proto: 'tcp', localAddress: '0.0.0.0', process: 'nginx' })] })).toEqual([]);
    expect(opened({ baselines: [baseline({ proto: 'tcp6' })] })).toHaveLength(1);
    expect(opened({ baselines: [baseline({ process: 'apache2' })] })).toHaveLength(1);
    expect(opened({ baselines: [baseline({ port: 8081 })] })).toHaveLength(1);
    expect(opened({ baselines: [baseline({ localAddress: '10.0.0.5' })] })).toHaveLength(1);
  });

  it('treats `*` and 0.0.0.0 in a baseline as the same any-address', () => {
    expect(opened({ baselines: [baseline({ localAddress: '*' })] })).toEqual([]);
  });

  it('does not match a baseline naming a process when the owner is unknown', () => {
    const anonymous = { ...web, process: null, pid: null };
    const alerts = evaluate({
      previous: { sockets: [ssh] },
      current: { sockets: [ssh, anonymous] },
      baselines: [baseline({ process: 'nginx' })],
    });

    expect(alerts).toHaveLength(1);
  });

  it('silences closing as well as opening', () => {
    expect(evaluate({ previous: { sockets: [ssh, web] }, current: { sockets: [ssh] }, baselines: [baseline()] })).toEqual([]);
  });

  it('still alerts when a loopback-only baseline widens to every address', () => {
    const redis = (localAddress: string) => listener({ localAddress, localPort: 6379 });
    const alerts = evaluate({
      previous: { sockets: [redis('127.0.0.1')] },
      current: { sockets: [redis('0.0.0.0')] },
      baselines: [baseline({ port: 6379, localAddress: '127.0.0.1' })],
    });

    expect(alerts.map((alert) => alert.kind)).toEqual(['listener.widened']);
  });
});

describe('promiscuous-mode alerts', () => {
  it('raises interface.promiscuous_on (level 12) when an interface starts sniffing', () => {
    const alerts = evaluate({ previous: { interfaces: [networkInterface()] }, current: { interfaces: [promiscuousEth0] } });

    expect(alerts).toEqual([
      {
        kind: 'interface.promiscuous_on',
        level: 12,
        dedupeKey: 'interface.promiscuous_on:eth0',
        message: 'web-01: interface eth0 entered promiscuous mode',
        subject: { name: 'eth0', flags: promiscuousEth0.flags, mac: '00:01:02:45:45:5b', addresses: ['192.168.1.20/24'] },
        label: 'eth0',
      },
    ]);
  });

  it('raises interface.promiscuous_off (level 5) when it stops', () => {
    const alerts = evaluate({ previous: { interfaces: [promiscuousEth0] }, current: { interfaces: [networkInterface()] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'interface.promiscuous_off',
        level: 5,
        dedupeKey: 'interface.promiscuous_off:eth0',
        message: 'web-01: interface eth0 left promiscuous mode',
      }),
    ]);
  });

  it('raises promiscuous_on for an interface that appears already promiscuous', () => {
    const alerts = evaluate({ previous: { interfaces: [] }, current: { interfaces: [{ ...promiscuousEth0, name: 'eth1' }] } });

    expect(alerts.map((alert) => alert.dedupeKey)).toEqual(['interface.promiscuous_on:eth1']);
  });

  it('on the first snapshot, raises promiscuous_on for every interface already promiscuous', () => {
    const lo = networkInterface({ name: 'lo', flags: ['UP', 'LOOPBACK', 'RUNNING'], mac: null, addresses: ['127.0.0.1/8'] });
    const alerts = evaluate({ previous: null, current: { interfaces: [lo, promiscuousEth0] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'interface.promiscuous_on',
        dedupeKey: 'interface.promiscuous_on:eth0',
        message: 'web-01: interface eth0 is in promiscuous mode',
      }),
    ]);
  });

  it('raises nothing while an interface stays promiscuous', () => {
    expect(evaluate({ previous: { interfaces: [promiscuousEth0] }, current: { interfaces: [promiscuousEth0] } })).toEqual([]);
  });

  it.each(['veth1a2b3c', 'docker0', 'br-5f2e', 'virbr0', 'cni0', 'flannel.1'])('raises nothing for %s, promiscuous by design (default rules)', (name) => {
    const bridgePort = { ...promiscuousEth0, name };

    expect(evaluate({ previous: { interfaces: [] }, current: { interfaces: [bridgePort] } })).toEqual([]);
    expect(evaluate({ previous: null, current: { interfaces: [bridgePort] } })).toEqual([]);
    expect(evaluate({ previous: { interfaces: [bridgePort] }, current: { interfaces: [] } })).toEqual([]);
  });

  it('uses the rules it is given instead of the defaults', () => {
    const tap = { ...promiscuousEth0, name: 'tap0' };

    expect(evaluate({ previous: null, current: { interfaces: [tap] }, promiscuousRules: [{ pattern: 'tap?', expected: true }] })).toEqual([]);
    expect(evaluate({ previous: null, current: { interfaces: [{ ...tap, name: 'docker0' }] }, promiscuousRules: [] })).toHaveLength(1);
  });
});

describe('matchesGlob', () => {
  it.each([
    ['veth*', 'veth0', true],
    ['veth*', 'xveth0', false],
    ['br-*', 'br-5f2e', true],
    ['br-*', 'bridge0', false],
    ['eth?', 'eth1', true],
    ['eth?', 'eth10', false],
    ['flannel.*', 'flannel.1', true],
    ['flannel.*', 'flannelX1', false],
  ] as const)('%s against %s → %s', (pattern, name, expected) => {
    expect(matchesGlob(pattern, name)).toBe(expected);
  });
});

describe('listener.owner_changed', () => {
  it('raises it (level 10) when another program takes over a listening port', () => {
    const sshd = listener({ localPort: 22, pid: 671, process: 'sshd', user: 'root' });
    const nc = listener({ localPort: 22, pid: 4242, process: 'nc', user: 'www-data', uid: 33 });
    const alerts = evaluate({ previous: { sockets: [sshd] }, current: { sockets: [nc] } });
    expect(alerts.map((alert) => [alert.kind, alert.level])).toEqual([['listener.owner_changed', 10]]);
    expect(alerts[0]?.message).toContain('now belongs to nc');
    expect(alerts[0]?.subject).toMatchObject({ previousProcess: 'sshd', process: 'nc' });
  });

  it('raises nothing when the same program restarts with a new pid', () => {
    const before = listener({ localPort: 22, pid: 671, process: 'sshd' });
    const after = listener({ localPort: 22, pid: 9000, process: 'sshd' });
    expect(evaluate({ previous: { sockets: [before] }, current: { sockets: [after] } })).toEqual([]);
  });
});

describe('process.new_binary', () => {
  it('raises it (level 7) for a program the previous snapshot never ran (known by command without its executable)', () => {
    const alerts = evaluate({
      previous: { processes: [processRow()] },
      current: { processes: [processRow(), processRow({ pid: 4242, command: 'nc', args: 'nc -l -p 4444', user: 'www-data', uid: 33 })] },
    });

    expect(alerts).toEqual([
      {
        kind: 'process.new_binary',
        level: 7,
        dedupeKey: 'process.new_binary:[nc]',
        message: 'web-01: new program nc (pid 4242, user www-data)',
        subject: {
          command: 'nc',
          exe: null,
          sha256: null,
          pids: [4242],
          users: ['www-data'],
          args: 'nc -l -p 4444',
          container: null,
          inWritablePlace: false,
          listens: false,
        },
        label: 'nc',
      },
    ]);
  });

  it('raises one alert per command, listing every pid', () => {
    const alerts = evaluate({
      previous: { processes: [processRow()] },
      current: { processes: [processRow({ pid: 20, command: 'xmrig' }), processRow({ pid: 10, command: 'xmrig' })] },
    });

    expect(alerts.map((alert) => alert.subject.pids)).toEqual([[10, 20]]);
  });

  it('raises nothing for a new pid of a known command, nor on the first snapshot', () => {
    expect(evaluate({ previous: { processes: [processRow()] }, current: { processes: [processRow({ pid: 999 })] } })).toEqual([]);
    expect(evaluate({ previous: null, current: { processes: [processRow({ command: 'nc' })] } })).toEqual([]);
  });

  it('ignores kernel threads (no command line, children of kthreadd), which come and go on their own', () => {
    const kworker = processRow({ pid: 3100, ppid: 2, command: 'kworker/u4:2-events_unbound', args: null, user: 'root', uid: 0 });
    expect(evaluate({ previous: { processes: [processRow()] }, current: { processes: [processRow(), kworker] } })).toEqual([]);
    // A user-space program without arguments is still news.
    const stripped = processRow({ pid: 3101, ppid: 1, command: 'sniffd', args: null });
    expect(evaluate({ previous: { processes: [processRow()] }, current: { processes: [processRow(), stripped] } }).map((alert) => alert.dedupeKey)).toEqual([
      'process.new_binary:[sniffd]',
    ]);
  });
});

describe('traceroute alerts', () => {
  it('raises traceroute.unreachable (level 8) for a probe answered !H', () => {
    const run = traceroute({ hops: [hop(1, '208.225.64.50', [4.8]), hop(2, '10.10.0.1', [9.5, 9.7], '!H')] });
    const alerts = evaluate({ previous: null, current: { traceroutes: [run] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'traceroute.unreachable',
        level: 8,
        dedupeKey: 'traceroute.unreachable:library.airnews.net',
        message: 'web-01: traceroute to library.airnews.net: hop 2 (10.10.0.1) answered !H (unreachable)',
      }),
    ]);
  });

  it.each(['!H', '!N', '!P', '!S', '!F', '!X', '!F-1500'])('counts %s as unreachable', (annotation) => {
    const run = traceroute({ hops: [hop(1, '10.0.0.1', [1], annotation)] });

    expect(evaluate({ previous: null, current: { traceroutes: [run] } }).map((alert) => alert.kind)).toEqual(['traceroute.unreachable']);
  });

  it('raises nothing for a clean run or other annotations', () => {
    const run = traceroute({ hops: [hop(1, '10.0.0.1', [1], '!Q'), hop(2, '10.0.0.2', [2])] });

    expect(evaluate({ previous: null, current: { traceroutes: [traceroute(), run] } })).toEqual([]);
  });

  it('raises traceroute.latency_jump (level 6) when a hop is far slower than the hop before', () => {
    const run = traceroute({ hops: [hop(1, '10.0.0.1', [5, 6, 5.5]), hop(2, '10.0.0.2', [70, 80, 75])] });
    const alerts = evaluate({ previous: null, current: { traceroutes: [run] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'traceroute.latency_jump',
        level: 6,
        dedupeKey: 'traceroute.latency_jump:library.airnews.net',
        message: 'web-01: traceroute to library.airnews.net: hop 2 (10.0.0.2) median RTT 75.0 ms, up from 5.5 ms at the hop before',
      }),
    ]);
  });

  it('needs both +50 ms and 3×: neither a small jump on a fast link nor a small ratio on a slow one', () => {
    const fastLink = traceroute({ hops: [hop(1, '10.0.0.1', [1]), hop(2, '10.0.0.2', [40])] });
    const slowLink = traceroute({ target: 'far.example', hops: [hop(1, '10.0.0.1', [200]), hop(2, '10.0.0.2', [280])] });

    expect(evaluate({ previous: null, current: { traceroutes: [fastLink, slowLink] } })).toEqual([]);
  });

  it('compares a hop with the same hop in the previous run', () => {
    const previousRun = traceroute({ hops: [hop(1, '10.0.0.1', [10]), hop(2, '10.0.0.2', [12])] });
    const currentRun = traceroute({ hops: [hop(1, '10.0.0.1', [80]), hop(2, '10.0.0.2', [82])] });
    const alerts = evaluate({ previous: { traceroutes: [previousRun] }, current: { traceroutes: [currentRun] } });

    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'traceroute.latency_jump',
        message: 'web-01: traceroute to library.airnews.net: hop 1 (10.0.0.1) median RTT 80.0 ms, up from 10.0 ms in the previous run',
        subject: expect.objectContaining({ hop: 1, reference: 'previous-run', medianMs: 80, referenceMs: 10 }),
      }),
    ]);
  });

  it('skips silent hops (`* * *`) and compares with the last hop that answered', () => {
    const run = traceroute({ hops: [hop(1, '10.0.0.1', [5]), hop(2, null, [null, null]), hop(3, '10.0.0.3', [9])] });

    expect(evaluate({ previous: null, current: { traceroutes: [run] } })).toEqual([]);
  });
});

describe('silentHostAlert', () => {
  const lastSeen = new Date('2026-11-21T10:00:00.000Z');

  it('raises host.silent (level 9) once more than the allowed intervals passed', () => {
    const alert = silentHostAlert('web-01', lastSeen, 600, 3, new Date('2026-11-21T10:35:00.000Z'));

    expect(alert).toEqual({
      kind: 'host.silent',
      level: 9,
      dedupeKey: 'host.silent:web-01',
      message: 'web-01: no snapshot for 35 min (expected every 10 min)',
      subject: { hostName: 'web-01', lastSeen: '2026-11-21T10:00:00.000Z', intervalSeconds: 600, missedIntervals: 3, silentSeconds: 2100 },
      label: 'web-01',
    });
  });

  it('stays quiet up to and including the allowed intervals', () => {
    expect(silentHostAlert('web-01', lastSeen, 600, 3, new Date('2026-11-21T10:30:00.000Z'))).toBeNull();
    expect(silentHostAlert('web-01', lastSeen, 600, 3, new Date('2026-11-21T10:05:00.000Z'))).toBeNull();
  });

  it('rejects a non-positive interval or count', () => {
    expect(() => silentHostAlert('web-01', lastSeen, 0, 3, lastSeen)).toThrow(RangeError);
    expect(() => silentHostAlert('web-01', lastSeen, 600, 0, lastSeen)).toThrow(RangeError);
  });
});

describe('evaluateAlerts', () => {
  it('combines every rule for one snapshot, one candidate per dedupeKey', () => {
    const alerts = evaluate({
      previous: { sockets: [ssh], interfaces: [networkInterface()], processes: [processRow()] },
      current: {
        sockets: [ssh, web, { ...web, pid: 901 }],
        interfaces: [promiscuousEth0],
        processes: [processRow(), processRow({ pid: 5000, command: 'tcpdump' })],
      },
    });

    expect(alerts.map((alert) => [alert.kind, alert.level])).toEqual([
      ['listener.opened', 10],
      ['interface.promiscuous_on', 12],
      ['process.new_binary', 7],
    ]);
  });

  it('names the host in every message', () => {
    const alerts = evaluate({ hostName: 'db-07', previous: null, current: { interfaces: [promiscuousEth0] } });

    expect(alerts[0]?.message.startsWith('db-07: ')).toBe(true);
  });
});
