import { statSync } from 'node:fs';
import { hostname, machine } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { ContainerCatalog } from '../../../collector/gather/linux/container-catalog';
import { ExecutableHashCache } from '../../../collector/gather/linux/executable-hashes';
import { gatherLinuxSnapshot, type GatheredSnapshot } from '../../../collector/gather/linux/index';
import { sanitizeHostName } from '../../../collector/gather/linux/system-files';
import { snapshotSchema } from '../../../lib/schemas/snapshot';
import { FIXTURE_ROOT } from './fixture';

// A small host in test/fixtures/gather/tree: sshd (300) listening on :22 with a child (301) that shares
// the listener and holds a connection, dhclient (302) whose binary was deleted, a cups listener nobody
// visible holds, a kernel thread, a zombie, and eth0 in promiscuous mode. Beside the host's network
// namespace: nginx in the docker container `web` (500, 501) with its own namespace, sysfs and a
// promiscuous eth0, and avahi-daemon (600) in a namespace of its own without a sysfs of it.
const TREE = `${FIXTURE_ROOT}tree`;
const HOST_NETNS = 4026531840;
const CONTAINER_NETNS = 4026532500;
const UNSHARED_NETNS = 4026532600;
const WEB = { runtime: 'docker', id: '4c0a7f3e9b2d8a61f5c7e0d93b4a6e2f1d8c9b7a6f5e4d3c2b1a09f8e7d6c5b4', name: 'web' };
const options = {
  procRoot: `${TREE}/proc`,
  sysRoot: `${TREE}/sys`,
  etcRoot: `${TREE}/etc`,
  runtimeRoot: `${TREE}/runtime`,
  containerCatalog: new ContainerCatalog(),
  hashCache: new ExecutableHashCache(),
  // The links point at paths of a real host: hashing whatever this machine has there would make the test depend on it.
  hashBudget: { maxBytes: 0, maxMilliseconds: 0 },
  // The copied tree is no sysfs as statfs sees it; it stands in for the container's.
  isSysfs: () => true,
};

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
      netns: HOST_NETNS,
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
      { pid: 500, ppid: 480, command: 'nginx', args: 'nginx: master process nginx -g daemon off;', startedAt: '2026-11-21T12:08:57.000Z' },
      { pid: 501, ppid: 500, command: 'nginx', args: 'nginx: worker process', startedAt: '2026-11-21T12:08:57.100Z' },
      { pid: 600, ppid: 1, command: 'avahi-daemon', args: 'avahi-daemon: running [fixture.local]', startedAt: '2026-11-21T12:17:17.000Z' },
    ]);
  });

  it('gives each process its executable, whether it was deleted, its network namespace and its container', () => {
    expect(snapshot.processes?.map(({ pid, exe, exeDeleted, exeSha256, netns, container }) => ({ pid, exe, exeDeleted, exeSha256, netns, container }))).toEqual(
      [
        { pid: 1, exe: '/usr/lib/systemd/systemd', exeDeleted: false, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 2, exe: null, exeDeleted: null, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 300, exe: '/usr/sbin/sshd', exeDeleted: false, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 301, exe: '/usr/sbin/sshd', exeDeleted: false, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 302, exe: '/usr/sbin/dhclient', exeDeleted: true, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 400, exe: null, exeDeleted: null, exeSha256: null, netns: HOST_NETNS, container: null },
        { pid: 500, exe: '/usr/sbin/nginx', exeDeleted: false, exeSha256: null, netns: CONTAINER_NETNS, container: WEB },
        { pid: 501, exe: '/usr/sbin/nginx', exeDeleted: false, exeSha256: null, netns: CONTAINER_NETNS, container: WEB },
        { pid: 600, exe: '/usr/sbin/avahi-daemon', exeDeleted: false, exeSha256: null, netns: UNSHARED_NETNS, container: null },
      ],
    );
  });

  it('gives each process the uid that owns its /proc directory', () => {
    const uid = ownerOf(300);
    expect(snapshot.processes?.find((process) => process.pid === 300)).toMatchObject({
      uid,
      user: uid === 0 ? 'root' : uid === 1000 ? 'alice' : null,
    });
  });

  it('ties sockets to the lowest pid that holds them, our own namespace first, then the others in inode order', () => {
    const sockets = snapshot.sockets ?? [];
    expect(
      sockets.map(({ proto, localAddress, localPort, remoteAddress, remotePort, state, pid, process, inode, netns }) => ({
        proto,
        local: `${localAddress}:${localPort}`,
        remote: `${remoteAddress}:${remotePort}`,
        state,
        pid,
        process,
        inode,
        netns,
      })),
    ).toEqual([
      { proto: 'tcp', local: '0.0.0.0:22', remote: '0.0.0.0:null', state: 'LISTEN', pid: 300, process: 'sshd', inode: 1001, netns: HOST_NETNS },
      { proto: 'tcp', local: '127.0.0.1:631', remote: '0.0.0.0:null', state: 'LISTEN', pid: null, process: null, inode: 1003, netns: HOST_NETNS },
      { proto: 'tcp', local: '192.0.2.2:22', remote: '198.51.100.7:51000', state: 'ESTABLISHED', pid: 301, process: 'sshd', inode: 1002, netns: HOST_NETNS },
      { proto: 'tcp6', local: ':::22', remote: ':::null', state: 'LISTEN', pid: 300, process: 'sshd', inode: 1004, netns: HOST_NETNS },
      { proto: 'udp', local: '0.0.0.0:68', remote: '0.0.0.0:null', state: null, pid: 302, process: 'dhclient', inode: 1005, netns: HOST_NETNS },
      { proto: 'tcp', local: '0.0.0.0:80', remote: '0.0.0.0:null', state: 'LISTEN', pid: 500, process: 'nginx', inode: 2001, netns: CONTAINER_NETNS },
      {
        proto: 'tcp',
        local: '172.17.0.2:80',
        remote: '172.17.0.1:54321',
        state: 'ESTABLISHED',
        pid: 501,
        process: 'nginx',
        inode: 2002,
        netns: CONTAINER_NETNS,
      },
      { proto: 'udp', local: '0.0.0.0:5353', remote: '0.0.0.0:null', state: null, pid: 600, process: 'avahi-daemon', inode: 3001, netns: UNSHARED_NETNS },
    ]);
  });

  it("tags a socket with its holder's container, or with its namespace's when nobody visible holds it", () => {
    const containers = (snapshot.sockets ?? []).map((socket) => `${socket.localPort} ${socket.state} ${socket.container?.name ?? null}`);
    expect(containers).toEqual([
      '22 LISTEN null',
      '631 LISTEN null',
      '22 ESTABLISHED null',
      '22 LISTEN null',
      '68 null null',
      '80 LISTEN web',
      '80 ESTABLISHED web',
      '5353 null null',
    ]);
  });

  it('never guesses an owner: a socket nobody visible holds keeps pid null and the uid the kernel recorded', () => {
    expect(snapshot.sockets?.find((socket) => socket.localPort === 631)).toMatchObject({ pid: null, process: null, uid: 7, user: 'lp' });
  });

  it('leaves TIME_WAIT entries out unless asked for them, then lists them in every namespace, held by nobody', async () => {
    expect(snapshot.sockets?.filter((socket) => socket.state === 'TIME_WAIT')).toEqual([]);
    const withTimeWait = await gatherLinuxSnapshot({ ...options, includeTimeWait: true });
    const timeWait = (withTimeWait.sockets ?? []).filter((socket) => socket.state === 'TIME_WAIT');
    expect(
      timeWait.map(({ localAddress, localPort, remoteAddress, remotePort, pid, process, user, uid, inode, netns, container }) => ({
        local: `${localAddress}:${localPort}`,
        remote: `${remoteAddress}:${remotePort}`,
        pid,
        process,
        user,
        uid,
        inode,
        netns,
        container: container?.name ?? null,
      })),
    ).toEqual([
      { local: '192.0.2.2:22', remote: '198.51.100.7:51001', pid: null, process: null, user: null, uid: null, inode: null, netns: HOST_NETNS, container: null },
      {
        local: '172.17.0.2:80',
        remote: '172.17.0.1:54322',
        pid: null,
        process: null,
        user: null,
        uid: null,
        inode: null,
        netns: CONTAINER_NETNS,
        container: 'web',
      },
    ]);
    expect(withTimeWait.sockets?.filter((socket) => socket.state !== 'TIME_WAIT')).toEqual(snapshot.sockets);
  });

  it('reports interfaces in ifindex order, with flags, promiscuous mode, addresses and counters', () => {
    expect(snapshot.interfaces?.filter((row) => row.netns === HOST_NETNS).map(({ netns, container, ...row }) => row)).toEqual([
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

  it("reports the container's interfaces from its own sysfs, promiscuous eth0 included, tagged with the container", () => {
    expect(snapshot.interfaces?.filter((row) => row.netns !== HOST_NETNS)).toEqual([
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
        netns: CONTAINER_NETNS,
        container: WEB,
      },
      {
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST', 'LOWER_UP'],
        promiscuous: true,
        mtu: 1500,
        mac: '02:42:ac:11:00:02',
        addresses: ['172.17.0.2/16', 'fe80::42:acff:fe11:2/64'],
        rxErrors: 0,
        txErrors: 0,
        rxDropped: 4,
        txDropped: 0,
        netns: CONTAINER_NETNS,
        container: WEB,
      },
    ]);
  });

  it("drops a container's device whose flags are not sysfs's own (something mounted over them), keeping the rest", async () => {
    const overMounted = await gatherLinuxSnapshot({ ...options, isSysfs: (path) => !path.endsWith('/eth0/flags') });
    expect(overMounted.interfaces?.filter((row) => row.netns === CONTAINER_NETNS).map((row) => row.name)).toEqual(['lo']);
    const notSysfs = await gatherLinuxSnapshot({ ...options, isSysfs: () => false });
    expect(notSysfs.interfaces?.filter((row) => row.netns === CONTAINER_NETNS)).toEqual([]);
    expect(notSysfs.interfaces?.filter((row) => row.netns === HOST_NETNS)).toHaveLength(3);
  });

  it('keeps the host rows of every section in the field order they had before namespaces, new fields last', () => {
    expect(Object.keys(snapshot.sockets?.[0] ?? {})).toEqual([
      'proto',
      'localAddress',
      'localPort',
      'remoteAddress',
      'remotePort',
      'state',
      'pid',
      'process',
      'user',
      'uid',
      'inode',
      'netns',
      'container',
    ]);
    expect(Object.keys(snapshot.processes?.[0] ?? {})).toEqual([
      'pid',
      'ppid',
      'user',
      'uid',
      'command',
      'args',
      'startedAt',
      'exe',
      'exeDeleted',
      'exeSha256',
      'netns',
      'container',
    ]);
    expect(Object.keys(snapshot.interfaces?.[0] ?? {})).toEqual([
      'name',
      'flags',
      'promiscuous',
      'mtu',
      'mac',
      'addresses',
      'rxErrors',
      'txErrors',
      'rxDropped',
      'txDropped',
      'netns',
      'container',
    ]);
  });

  it('gathers the same snapshot twice in a row, row for row', async () => {
    expect(await gatherLinuxSnapshot(options)).toEqual(snapshot);
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
    const empty = await gatherLinuxSnapshot({ ...options, procRoot: `${TREE}/missing`, sysRoot: `${TREE}/missing`, etcRoot: `${TREE}/missing` });
    expect(empty.sockets).toEqual([]);
    expect(empty.processes).toEqual([]);
    expect(empty.interfaces).toEqual([]);
  });
});
