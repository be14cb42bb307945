import { statSync } from 'node:fs';
import { hostname, machine } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherLinuxSnapshot, type GatheredSnapshot } from '../../../collector/gather/linux/index';
import { sanitizeHostName } from '../../../collector/gather/linux/system-files';
import { snapshotSchema } from '../../../lib/schemas/snapshot';
import { FIXTURE_ROOT } from './fixture';

// A small host in test/fixtures/gather/tree: sshd (300) listening on :22 with a child (301) that shares
// the listener and holds a connection, dhclient (302), a cups listener nobody visible holds, a kernel
// thread, a zombie, and eth0 in promiscuous mode.
const TREE = `${FIXTURE_ROOT}tree`;
const options = { procRoot: `${TREE}/proc`, sysRoot: `${TREE}/sys`, etcRoot: `${TREE}/etc` };

/** The tree cannot carry uids: they are whoever owns the checkout, as /proc/PID's owner is the process's uid. */
function ownerOf(pid: number): number {
  return statSync(`${TREE}/proc/${pid}`).uid;
}

describe('gatherLinuxSnapshot on a fixture tree', () => {
  let snapshot: GatheredSnapshot;
  beforeAll(async () => {
    snapshot = await gatherLinuxSnapshot(options);
  });

  it('describes the host', () => {
    expect(snapshot.host).toEqual({
      name: sanitizeHostName(hostname()),
      os: `Linux 6.1.0-18-amd64 ${machine()}, Debian GNU/Linux 12 (bookworm)`,
      kernel: '6.1.0-18-amd64',
    });
  });

  it('lists every process in pid order with its parent, command, arguments and start time', () => {
    expect(snapshot.processes?.map(({ pid, ppid, command, args, startedAt }) => ({ pid, ppid, command, args, startedAt }))).toEqual([
      { pid: 1, ppid: 0, command: 'systemd', args: '/sbin/init splash', startedAt: '2026-11-21T11:27:17.140Z' },
      { pid: 2, ppid: 0, command: 'kthreadd', args: null, startedAt: '2026-11-21T11:27:17.250Z' },
      { pid: 300, ppid: 1, command: 'sshd', args: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', startedAt: '2026-11-21T11:27:29.000Z' },
      { pid: 301, ppid: 300, command: 'sshd', args: 'sshd: alice [priv]', startedAt: '2026-11-21T11:43:44.650Z' },
      { pid: 302, ppid: 1, command: 'dhclient', args: '/sbin/dhclient -4 eth0', startedAt: '2026-11-21T11:27:26.000Z' },
      { pid: 400, ppid: 301, command: 'python3', args: null, startedAt: '2026-11-21T11:40:15.780Z' },
    ]);
  });

  it('gives each process the uid that owns its /proc directory', () => {
    const uid = ownerOf(300);
    expect(snapshot.processes?.find((process) => process.pid === 300)).toMatchObject({
      uid,
      user: uid === 0 ? 'root' : uid === 1000 ? 'alice' : null,
    });
  });

  it('ties sockets to the lowest pid that holds them', () => {
    const sockets = snapshot.sockets ?? [];
    expect(sockets.map(({ proto, localAddress, localPort, remoteAddress, remotePort, state, pid, process, inode }) => ({
      proto,
      local: `${localAddress}:${localPort}`,
      remote: `${remoteAddress}:${remotePort}`,
      state,
      pid,
      process,
      inode,
    }))).toEqual([
      { proto: 'tcp', local: '0.0.0.0:22', remote: '0.0.0.0:null', state: 'LISTEN', pid: 300, process: 'sshd', inode: 1001 },
      { proto: 'tcp', local: '127.0.0.1:631', remote: '0.0.0.0:null', state: 'LISTEN', pid: null, process: null, inode: 1003 },
      { proto: 'tcp', local: '192.0.2.2:22', remote: '198.51.100.7:51000', state: 'ESTABLISHED', pid: 301, process: 'sshd', inode: 1002 },
      { proto: 'tcp', local: '192.0.2.2:22', remote: '198.51.100.7:51001', state: 'TIME_WAIT', pid: null, process: null, inode: null },
      { proto: 'tcp6', local: ':::22', remote: ':::null', state: 'LISTEN', pid: 300, process: 'sshd', inode: 1004 },
      { proto: 'udp', local: '0.0.0.0:68', remote: '0.0.0.0:null', state: null, pid: 302, process: 'dhclient', inode: 1005 },
    ]);
  });

  it('never guesses an owner: a socket nobody visible holds keeps pid null and the uid the kernel recorded', () => {
    expect(snapshot.sockets?.find((socket) => socket.localPort === 631)).toMatchObject({ pid: null, process: null, uid: 7, user: 'lp' });
    expect(snapshot.sockets?.find((socket) => socket.state === 'TIME_WAIT')).toMatchObject({ pid: null, user: null, uid: null });
  });

  it('reports interfaces in ifindex order, with flags, promiscuous mode, addresses and counters', () => {
    expect(snapshot.interfaces).toEqual([
      {
        name: 'lo',
        flags: ['UP', 'LOOPBACK', 'RUNNING', 'LOWER_UP'],
        promiscuous: false,
        mtu: 65536,
        mac: '00:00:00:00:00:00',
        addresses: ['127.0.0.1/8', '::1/128'],
        rxErrors: 0,
        txErrors: 0,
        rxDropped: 0,
        txDropped: 0,
      },
      {
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST', 'LOWER_UP'],
        promiscuous: true,
        mtu: 1500,
        mac: '02:fc:00:00:00:01',
        addresses: ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64'],
        rxErrors: 3,
        txErrors: 0,
        rxDropped: 17,
        txDropped: 1,
      },
      {
        name: 'wg0',
        flags: ['POINTOPOINT', 'NOARP'],
        promiscuous: false,
        mtu: 1420,
        mac: null,
        addresses: [],
        rxErrors: null,
        txErrors: null,
        rxDropped: null,
        txDropped: null,
      },
    ]);
  });

  it('produces sections the snapshot schema accepts', () => {
    const result = snapshotSchema.safeParse({
      ...snapshot,
      version: 1,
      collectedAt: '2026-11-21T12:00:00.000Z',
      idempotencyKey: 'fixture-tree-1',
    });
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('returns empty sections, not an error, for a root with nothing in it', async () => {
    const empty = await gatherLinuxSnapshot({ procRoot: `${TREE}/missing`, sysRoot: `${TREE}/missing`, etcRoot: `${TREE}/missing` });
    expect(empty.sockets).toEqual([]);
    expect(empty.processes).toEqual([]);
    expect(empty.interfaces).toEqual([]);
  });
});
