import { describe, expect, it } from 'vitest';
import { diffSnapshots, summarizeDiff } from '@/lib/diff/diff-snapshots';
import type { SocketRow } from '@/lib/schemas/snapshot';
import { connection, listener } from '@/test/unit/diff/builders';

function diffSockets(before: SocketRow[], after: SocketRow[]) {
  return diffSnapshots({ sockets: before }, { sockets: after }).sockets;
}

describe('diffSnapshots: listeners', () => {
  it('reports a new listener as added and a gone one as removed', () => {
    const ssh = listener();
    const web = listener({ localPort: 8080, process: 'nginx', pid: 900 });

    const diff = diffSockets([ssh], [ssh, web]);
    expect(diff).toEqual({ collected: true, added: [web], removed: [], changed: [] });
    expect(diffSockets([ssh, web], [ssh]).removed).toEqual([web]);
  });

  it('keeps tcp and tcp6 on the same port apart', () => {
    const diff = diffSockets([listener({ proto: 'tcp', localAddress: '*' })], [listener({ proto: 'tcp6', localAddress: '*' })]);

    expect(diff.added).toHaveLength(1);
    expect(diff.removed).toHaveLength(1);
    expect(diff.changed).toEqual([]);
  });

  it('reports a new owner as a change naming pid, process and user', () => {
    const before = listener({ pid: 671, process: 'sshd', user: 'root', uid: 0 });
    const after = listener({ pid: 4242, process: 'nc', user: 'www-data', uid: 33 });

    expect(diffSockets([before], [after]).changed).toEqual([{ before, after, changes: ['pid', 'process', 'user', 'uid'], widened: false }]);
  });

  it('reports a restarted daemon (new pid only) as a pid change', () => {
    const diff = diffSockets([listener({ pid: 671 })], [listener({ pid: 702 })]);

    expect(diff.changed.map((row) => row.changes)).toEqual([['pid']]);
  });

  it.each([
    ['tcp', '127.0.0.1', '0.0.0.0'],
    ['tcp', '127.0.0.1', '*'],
    ['tcp', '127.0.0.1', '192.168.1.20'],
    ['tcp', '192.168.1.20', '0.0.0.0'],
    ['tcp6', '::1', '::'],
    ['tcp6', '::1', '*'],
    ['tcp6', '[::1]', '[::]'],
  ] as const)('reports %s %s → %s as a widened change, not closed + opened', (proto, from, to) => {
    const before = listener({ proto, localAddress: from, localPort: 6379, process: 'redis-server' });
    const after = listener({ proto, localAddress: to, localPort: 6379, process: 'redis-server' });

    const diff = diffSockets([before], [after]);
    expect(diff.changed).toEqual([{ before, after, changes: ['localAddress'], widened: true }]);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it('reports narrowing as a change that is not widened', () => {
    const before = listener({ localAddress: '0.0.0.0', localPort: 5432 });
    const after = listener({ localAddress: '127.0.0.1', localPort: 5432 });

    expect(diffSockets([before], [after]).changed).toEqual([{ before, after, changes: ['localAddress'], widened: false }]);
  });

  it('keeps a move between two specific addresses as closed + opened (another network is exposed)', () => {
    const diff = diffSockets([listener({ localAddress: '10.0.0.5' })], [listener({ localAddress: '192.168.1.5' })]);

    expect(diff.changed).toEqual([]);
    expect(diff.removed).toHaveLength(1);
    expect(diff.added).toHaveLength(1);
  });

  it('names every differing field of a widened listener that also changed owner', () => {
    const before = listener({ localAddress: '127.0.0.1', localPort: 8080, pid: 10 });
    const after = listener({ localAddress: '0.0.0.0', localPort: 8080, pid: 11 });

    expect(diffSockets([before], [after]).changed).toEqual([{ before, after, changes: ['localAddress', 'pid'], widened: true }]);
  });

  it('pairs the widening first when one port loses a loopback and a specific bind for one wildcard', () => {
    const loopback = listener({ localAddress: '127.0.0.1', localPort: 80 });
    const specific = listener({ localAddress: '10.0.0.5', localPort: 80 });
    const wildcard = listener({ localAddress: '0.0.0.0', localPort: 80 });

    const diff = diffSockets([specific, loopback], [wildcard]);
    expect(diff.changed).toEqual([{ before: loopback, after: wildcard, changes: ['localAddress'], widened: true }]);
    expect(diff.removed).toEqual([specific]);
    expect(summarizeDiff(diffSnapshots({ sockets: [specific, loopback] }, { sockets: [wildcard] })).widened).toBe(1);
  });

  it('treats `*`, 0.0.0.0, :: and [::] as one any-address', () => {
    expect(diffSockets([listener({ localAddress: '*' })], [listener({ localAddress: '0.0.0.0' })]).changed).toEqual([]);
    const v6 = (localAddress: string) => listener({ proto: 'tcp6', localAddress });
    expect(diffSockets([v6('::')], [v6('[::]')])).toEqual({ collected: true, added: [], removed: [], changed: [] });
  });

  it('ignores the remote side and state spelling of listeners (`*.*`, null, UNCONN)', () => {
    const udp = (remoteAddress: string | null, state: string | null) => listener({ proto: 'udp', localPort: 514, process: 'syslogd', remoteAddress, state });

    expect(diffSockets([udp(null, null)], [udp('*', 'UNCONN')]).changed).toEqual([]);
    expect(diffSockets([listener({ remoteAddress: '*' })], [listener({ remoteAddress: '0.0.0.0', remotePort: 0 })]).changed).toEqual([]);
  });

  it('ignores the inode (a kernel handle, not something an analyst acts on)', () => {
    expect(diffSockets([listener({ inode: 100 })], [listener({ inode: 200 })]).changed).toEqual([]);
  });
});

describe('diffSnapshots: shared listeners and duplicates', () => {
  const workers = (pids: number[]) => pids.map((pid) => listener({ localPort: 80, process: 'nginx', pid }));

  it('counts a row printed twice once', () => {
    const ssh = listener();
    expect(diffSockets([ssh, { ...ssh }], [ssh]).removed).toEqual([]);
    expect(diffSockets([ssh], [ssh, { ...ssh }, { ...ssh, inode: 7 }]).added).toEqual([]);
  });

  it('reports nothing when workers sharing a listener are listed in another order', () => {
    expect(diffSockets(workers([10, 11, 12]), workers([12, 10, 11]))).toEqual({
      collected: true,
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('reports an extra worker as an added row of the same listener', () => {
    const diff = diffSockets(workers([10, 11]), workers([10, 11, 12]));

    expect(diff.added).toEqual(workers([12]));
    expect(diff.changed).toEqual([]);
  });

  it('pairs replaced workers as pid changes', () => {
    const diff = diffSockets(workers([10, 11]), workers([10, 13]));

    expect(diff.changed).toEqual([{ before: workers([11])[0], after: workers([13])[0], changes: ['pid'], widened: false }]);
  });
});

describe('diffSnapshots: connections', () => {
  it('keys connections by the 5-tuple', () => {
    const first = connection({ remotePort: 4781 });
    const second = connection({ remotePort: 4782 });

    const diff = diffSockets([first], [second]);
    expect(diff.added).toEqual([second]);
    expect(diff.removed).toEqual([first]);
  });

  it('reports a state change on the same 5-tuple', () => {
    const before = connection({ state: 'ESTABLISHED' });
    const after = connection({ state: 'CLOSE_WAIT' });

    expect(diffSockets([before], [after]).changed).toEqual([{ before, after, changes: ['state'], widened: false }]);
  });

  it('never pairs a connection with a listener on the same port', () => {
    const diff = diffSockets([listener({ localAddress: '10.0.1.1' })], [connection()]);

    expect(diff.changed).toEqual([]);
    expect(diff.removed).toHaveLength(1);
    expect(diff.added).toHaveLength(1);
  });
});
