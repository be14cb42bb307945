// A synthetic fleet that looks like real Linux servers: each host follows one of a hundred
// "profiles" (a web node, a database, a container host...) with 200 sockets, 400 processes and
// 8 interfaces; and one busy host (2,000 sockets, 1,000 processes) for the pages and diffs.
// How rows come and go over time is in bench/host-model.ts.
import type { InterfaceRow, ProcessRow, SocketRow } from '@/lib/schemas/snapshot';

const SOCKETS_PER_HOST = 200;
const PROCESSES_PER_HOST = 400;
const INTERFACES_PER_HOST = 8;

/** Deterministic PRNG (mulberry32): the same profile index always yields the same rows. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

interface Daemon {
  command: string;
  args: string;
  user: string;
  uid: number;
  listens: Array<{ proto: SocketRow['proto']; address: string; port: number }>;
}

/** A daemon and what it listens on, each written `proto address port`. */
function daemon(command: string, args: string, user: string, uid: number, ...listens: string[]): Daemon {
  return {
    command,
    args,
    user,
    uid,
    listens: listens.map((listen) => {
      const [proto, address, port] = listen.split(' ') as [SocketRow['proto'], string, string];
      return { proto, address, port: Number(port) };
    }),
  };
}

const daemons: readonly Daemon[] = [
  daemon('sshd', '/usr/sbin/sshd -D', 'root', 0, 'tcp 0.0.0.0 22', 'tcp6 :: 22'),
  daemon('nginx', 'nginx: master process /usr/sbin/nginx -g daemon on; master_process on;', 'root', 0, 'tcp 0.0.0.0 80', 'tcp 0.0.0.0 443'),
  daemon('postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main', 'postgres', 109, 'tcp 127.0.0.1 5432'),
  daemon('node_exporter', '/usr/local/bin/node_exporter --collector.systemd', 'prometheus', 998, 'tcp6 :: 9100'),
  daemon('systemd-resolve', '/lib/systemd/systemd-resolved', 'systemd-resolve', 101, 'udp 127.0.0.53 53', 'tcp 127.0.0.53 53'),
  daemon('chronyd', '/usr/sbin/chronyd -F 1', '_chrony', 105, 'udp 127.0.0.1 323', 'udp6 ::1 323'),
  daemon('redis-server', '/usr/bin/redis-server 127.0.0.1:6379', 'redis', 110, 'tcp 127.0.0.1 6379'),
  daemon('java', '/usr/bin/java -Xmx2g -jar /opt/app/service.jar --server.port=8080', 'app', 1001, 'tcp6 :: 8080'),
  daemon('containerd', '/usr/bin/containerd', 'root', 0, 'tcp 127.0.0.1 35000'),
  daemon('kubelet', '/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml', 'root', 0, 'tcp 127.0.0.1 10248', 'tcp6 :: 10250'),
  daemon('rpcbind', '/sbin/rpcbind -f -w', '_rpc', 108, 'tcp 0.0.0.0 111', 'udp 0.0.0.0 111'),
];

export const workerCommands = [
  ['bash', '-bash'],
  ['sleep', 'sleep 3600'],
  ['python3', '/usr/bin/python3 /opt/jobs/worker.py --queue default'],
  ['node', 'node /srv/app/dist/server.js'],
  ['php-fpm8.2', 'php-fpm: pool www'],
  ['gunicorn', '/usr/bin/python3 /usr/bin/gunicorn app:wsgi -w 4 -b 127.0.0.1:8000'],
  ['cron', '/usr/sbin/cron -f'],
  ['rsyslogd', '/usr/sbin/rsyslogd -n -iNONE'],
  ['dockerd', '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock'],
  ['containerd-shim', '/usr/bin/containerd-shim-runc-v2 -namespace moby -id 3f9a1c0e2b7d -address /run/containerd/containerd.sock'],
] as const;

export interface HostProfile {
  sockets: SocketRow[];
  processes: ProcessRow[];
  interfaces: InterfaceRow[];
}

export function buildProfile(index: number): HostProfile {
  const random = createRandom(0x5eed + index * 7919);
  const processes: ProcessRow[] = [];
  const bootTime = Date.UTC(2026, 9, 1) + index * 60_000;
  const startedAt = (offsetS: number) => new Date(bootTime + offsetS * 1000).toISOString();
  processes.push({ pid: 1, ppid: 0, user: 'root', uid: 0, command: 'systemd', args: '/sbin/init', startedAt: startedAt(0) });
  let pid = 2;
  // Kernel threads: a quarter of a typical process table, no args, no start time from ps.
  for (let k = 0; k < 100; k += 1) {
    processes.push({ pid: pid++, ppid: 2, user: 'root', uid: 0, command: `kworker/${k % 8}:${k >> 3}`, args: null, startedAt: null });
  }
  const running = daemons.filter((_, d) => d < 3 || random() < 0.6);
  const daemonPids = new Map<string, number>();
  for (const daemon of running) {
    pid += int(random, 1, 40);
    daemonPids.set(daemon.command, pid);
    processes.push({ pid, ppid: 1, user: daemon.user, uid: daemon.uid, command: daemon.command, args: daemon.args, startedAt: startedAt(int(random, 5, 60)) });
  }
  while (processes.length < PROCESSES_PER_HOST) {
    pid += int(random, 1, 25);
    const [command, args] = pick(random, workerCommands);
    const parent = pick(random, processes).pid;
    processes.push({
      pid,
      ppid: parent,
      user: random() < 0.5 ? 'root' : 'app',
      uid: random() < 0.5 ? 0 : 1001,
      command,
      args,
      startedAt: startedAt(int(random, 60, 86_400 * 20)),
    });
  }

  const sockets: SocketRow[] = [];
  const localAddress = `10.${index % 250}.${int(random, 0, 255)}.${int(random, 1, 254)}`;
  for (const daemon of running) {
    const owner = daemonPids.get(daemon.command) ?? null;
    for (const listen of daemon.listens) {
      const isTcp = listen.proto.startsWith('tcp');
      sockets.push({
        proto: listen.proto,
        localAddress: listen.address,
        localPort: listen.port,
        remoteAddress: isTcp ? null : null,
        remotePort: null,
        state: isTcp ? 'LISTEN' : null,
        pid: owner,
        process: daemon.command,
        user: daemon.user,
        uid: daemon.uid,
        inode: int(random, 10_000, 9_000_000),
      });
    }
  }
  const serverPorts = sockets.filter((socket) => socket.state === 'LISTEN' && socket.localAddress !== '127.0.0.1');
  while (sockets.length < SOCKETS_PER_HOST) {
    const inbound = serverPorts.length > 0 && random() < 0.6;
    const server = inbound ? pick(random, serverPorts) : null;
    sockets.push(connectionRow(random, localAddress, server, daemonPids));
  }

  const interfaces: InterfaceRow[] = [
    {
      name: 'lo',
      flags: ['UP', 'LOOPBACK', 'RUNNING'],
      promiscuous: false,
      mtu: 65_536,
      mac: '00:00:00:00:00:00',
      addresses: ['127.0.0.1/8', '::1/128'],
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
    },
    {
      name: 'eth0',
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
      promiscuous: false,
      mtu: 1500,
      mac: macOf(index, 1),
      addresses: [`${localAddress}/16`, `fe80::${(index % 65_535).toString(16)}:1/64`],
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 12,
      txDropped: 0,
    },
    {
      name: 'eth1',
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
      promiscuous: false,
      mtu: 9000,
      mac: macOf(index, 2),
      addresses: [`192.168.${index % 250}.${(index % 200) + 10}/24`],
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
    },
    {
      name: 'docker0',
      flags: ['UP', 'BROADCAST', 'MULTICAST'],
      promiscuous: false,
      mtu: 1500,
      mac: macOf(index, 3),
      addresses: ['172.17.0.1/16'],
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
    },
  ];
  for (let v = 0; interfaces.length < INTERFACES_PER_HOST; v += 1) {
    interfaces.push({
      name: `veth${(index * 31 + v).toString(16).padStart(7, '0')}`,
      flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
      promiscuous: false,
      mtu: 1500,
      mac: macOf(index, 10 + v),
      addresses: [],
      rxErrors: 0,
      txErrors: 0,
      rxDropped: 0,
      txDropped: 0,
    });
  }
  return { sockets, processes, interfaces };
}

function connectionRow(random: () => number, localAddress: string, server: SocketRow | null, owners: Map<string, number>): SocketRow {
  const remoteAddress = `10.${int(random, 0, 250)}.${int(random, 0, 255)}.${int(random, 1, 254)}`;
  if (server) {
    return {
      proto: server.proto,
      localAddress: server.proto === 'tcp6' ? `::ffff:${localAddress}` : localAddress,
      localPort: server.localPort,
      remoteAddress: server.proto === 'tcp6' ? `::ffff:${remoteAddress}` : remoteAddress,
      remotePort: int(random, 32_768, 60_999),
      state: random() < 0.9 ? 'ESTABLISHED' : 'TIME_WAIT',
      pid: server.pid,
      process: server.process,
      user: server.user,
      uid: server.uid,
      inode: int(random, 10_000, 9_000_000),
    };
  }
  const client = pick(random, ['postgres', 'redis-server', 'java', 'node_exporter'].filter((name) => owners.has(name)).concat(['python3']));
  return {
    proto: 'tcp',
    localAddress,
    localPort: int(random, 32_768, 60_999),
    remoteAddress,
    remotePort: pick(random, [443, 5432, 6379, 9092, 8443]),
    state: 'ESTABLISHED',
    pid: owners.get(client) ?? int(random, 1000, 90_000),
    process: client,
    user: 'app',
    uid: 1001,
    inode: int(random, 10_000, 9_000_000),
  };
}

function macOf(index: number, port: number): string {
  const bytes = [0x02, 0x42, (index >> 16) & 255, (index >> 8) & 255, index & 255, port & 255];
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** A busy front end: 2,000 sockets (a few dozen listeners, the rest connections) and 1,000 processes. */
export function buildBusyHost(): HostProfile {
  const sockets: SocketRow[] = [];
  const processes: ProcessRow[] = [];
  for (let part = 0; sockets.length < 2000 || processes.length < 1000; part += 1) {
    const profile = buildProfile(5000 + part);
    // Each part is another slice of the same machine: shift ports, addresses and pids so rows stay distinct.
    for (const socket of profile.sockets) {
      if (sockets.length >= 2000) break;
      if (socket.state === 'LISTEN' && part > 0) sockets.push({ ...socket, localPort: (socket.localPort ?? 0) + part * 10 });
      else sockets.push({ ...socket, localAddress: socket.localAddress.replace(/^10\.\d+\./, `10.${part}.`) });
    }
    for (const process of profile.processes) {
      if (processes.length >= 1000 || (part > 0 && process.pid <= 1)) continue;
      processes.push({
        ...process,
        pid: process.pid + part * 100_000,
        ppid: process.ppid === null || process.ppid <= 2 ? process.ppid : process.ppid + part * 100_000,
      });
    }
  }
  return { sockets, processes, interfaces: buildProfile(5000).interfaces };
}
