// Row builders for the diff and alert tests: every field the schema requires, overridable.
import type { InterfaceRow, ProcessRow, SocketRow, TracerouteHop, TracerouteRun } from '@/lib/schemas/snapshot';

export function listener(overrides: Partial<SocketRow> = {}): SocketRow {
  return {
    proto: 'tcp',
    localAddress: '0.0.0.0',
    localPort: 22,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 671,
    process: 'sshd',
    user: 'root',
    uid: 0,
    ...overrides,
  };
}

export function connection(overrides: Partial<SocketRow> = {}): SocketRow {
  return listener({
    localAddress: '10.0.1.1',
    localPort: 22,
    remoteAddress: '10.0.1.2',
    remotePort: 4781,
    state: 'ESTABLISHED',
    pid: 8710,
    ...overrides,
  });
}

export function processRow(overrides: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid: 671,
    ppid: 1,
    user: 'root',
    uid: 0,
    command: 'sshd',
    args: '/usr/sbin/sshd -D',
    startedAt: '2026-11-21T09:00:00.000Z',
    ...overrides,
  };
}

export function networkInterface(overrides: Partial<InterfaceRow> = {}): InterfaceRow {
  return {
    name: 'eth0',
    flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
    promiscuous: false,
    mtu: 1500,
    mac: '00:01:02:45:45:5b',
    addresses: ['192.168.1.20/24'],
    ...overrides,
  };
}

/** One hop per entry: an address (or null for `*`) and the probes' RTTs (null for `*`). */
export function hop(number: number, address: string | null, rtts: Array<number | null>, annotation: string | null = null): TracerouteHop {
  return {
    hop: number,
    probes: rtts.map((rttMs) => ({ address: rttMs === null ? null : address, name: null, rttMs, annotation })),
  };
}

export function traceroute(overrides: Partial<TracerouteRun> = {}): TracerouteRun {
  return {
    target: 'library.airnews.net',
    targetAddress: '206.66.12.202',
    hops: [hop(1, '208.225.64.50', [4.8, 4.9, 5.1]), hop(2, '10.10.0.1', [9.5, 9.9, 10.2]), hop(3, '206.66.12.202', [20.1, 20.4, 21.0])],
    ...overrides,
  };
}
