// Shared by the parser tests: fixture files, full expected rows with nulls spelled once, the rows of
// captures that several formats show, and ParseError checks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ParseError } from '@/collector/parse/parse-error';
import type { InterfaceRow, PackageRow, PackageSource, ProcessRow, SocketRow, TracerouteHop, TracerouteProbe } from '@/lib/schemas/snapshot';

const fixturesRoot = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));

export function readFixture(format: string, name: string): string {
  return readFileSync(`${fixturesRoot}${format}/${name}`, 'utf8');
}

/** A full socket row: what the test names, null for the rest. */
export function socket(fields: Pick<SocketRow, 'proto' | 'localAddress' | 'localPort'> & Partial<SocketRow>): SocketRow {
  return {
    remoteAddress: null,
    remotePort: null,
    state: null,
    pid: null,
    process: null,
    user: null,
    uid: null,
    inode: null,
    ...fields,
  };
}

/** `rows` with the uid and inode that `-e` adds: one [uid, inode] per row, in order, null for a row that has none. */
export function withOwners(rows: SocketRow[], owners: ([number, number] | null)[]): SocketRow[] {
  return rows.map((row, index) => {
    const owner = owners[index];
    return owner ? { ...row, uid: owner[0], inode: owner[1] } : row;
  });
}

/** What a listeners-only listing (`-l`) keeps: TCP sockets in LISTEN, UDP sockets with no peer. */
export function isListening(row: SocketRow): boolean {
  return row.state === 'LISTEN' || (row.proto.startsWith('udp') && row.remotePort === null);
}

/** The WebJob recipe's sample machine, whose lsof -F and lsof outputs hold the same six sockets, all root's; `owner` adds what only some formats show. */
export function lsofSeedSockets(owner: Partial<SocketRow> = {}): SocketRow[] {
  const root = { user: 'root', ...owner };
  return [
    socket({ proto: 'udp6', localAddress: '*', localPort: 514, pid: 77, process: 'syslogd', ...root }),
    socket({ proto: 'udp', localAddress: '*', localPort: 514, pid: 77, process: 'syslogd', ...root }),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 25, state: 'LISTEN', pid: 91, process: 'sendmail', ...root }),
    socket({
      proto: 'tcp',
      localAddress: '10.0.1.1',
      localPort: 22,
      remoteAddress: '10.0.1.2',
      remotePort: 4781,
      state: 'ESTABLISHED',
      pid: 8710,
      process: 'sshd',
      ...root,
    }),
    socket({ proto: 'tcp6', localAddress: '*', localPort: 22, pid: 31005, process: 'sshd', ...root }),
    socket({ proto: 'tcp', localAddress: '*', localPort: 22, state: 'LISTEN', pid: 31005, process: 'sshd', ...root }),
  ];
}

/** The owning process of each socket in the Linux capture, as a format shows it (pid, command, user or uid). */
export interface LinuxCaptureOwners {
  postgres: Partial<SocketRow>;
  redis: Partial<SocketRow>;
  epmd: Partial<SocketRow>;
  python: Partial<SocketRow>;
}

/** The Linux capture's sockets as both lsof formats list them: a wildcard address is `*`, a listener has no remote. */
export function lsofLinuxSockets({ postgres, redis, epmd, python }: LinuxCaptureOwners): SocketRow[] {
  return [
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 5432, state: 'LISTEN', ...postgres }),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 6379, state: 'LISTEN', ...redis }),
    socket({ proto: 'tcp6', localAddress: '::1', localPort: 6379, state: 'LISTEN', ...redis }),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 4369, state: 'LISTEN', ...epmd }),
    socket({ proto: 'tcp6', localAddress: '::1', localPort: 4369, state: 'LISTEN', ...epmd }),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 4369, remoteAddress: '127.0.0.1', remotePort: 52420, state: 'ESTABLISHED', ...epmd }),
    socket({ proto: 'tcp6', localAddress: '*', localPort: 18080, state: 'LISTEN', ...python }),
    socket({ proto: 'tcp', localAddress: '*', localPort: 18081, state: 'LISTEN', ...python }),
    socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 15353, ...python }),
    socket({ proto: 'udp6', localAddress: '*', localPort: 15354, ...python }),
    socket({ proto: 'udp', localAddress: '*', localPort: 15355, ...python }),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 47626, remoteAddress: '127.0.0.1', remotePort: 18080, state: 'ESTABLISHED', ...python }),
    socket({ proto: 'tcp6', localAddress: '127.0.0.1', localPort: 18080, remoteAddress: '127.0.0.1', remotePort: 47626, state: 'ESTABLISHED', ...python }),
    socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 36667, remoteAddress: '127.0.0.1', remotePort: 15353, ...python }),
  ];
}

/** A full interface row with no counters known. */
export function networkInterface(fields: Pick<InterfaceRow, 'name' | 'flags' | 'promiscuous' | 'mtu'> & Partial<InterfaceRow>): InterfaceRow {
  return { mac: null, addresses: [], rxErrors: null, txErrors: null, rxDropped: null, txDropped: null, ...fields };
}

/** Error and drop counters that were printed, all zero. */
export const zeroCounters = { rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 };

/** A full process row: what the test names, null for the rest. */
export function processRow(fields: Pick<ProcessRow, 'pid' | 'command'> & Partial<ProcessRow>): ProcessRow {
  return { ppid: null, user: null, uid: null, args: null, startedAt: null, ...fields };
}

export function answered(address: string, name: string | null, rttMs: number, annotation: string | null = null): TracerouteProbe {
  return { address, name, rttMs, annotation };
}

export const timedOut: TracerouteProbe = { address: null, name: null, rttMs: null, annotation: null };

/** A hop whose probes all came back from one router. */
export function hop(index: number, address: string, name: string | null, rtts: number[]): TracerouteHop {
  return { hop: index, probes: rtts.map((rtt) => answered(address, name, rtt)) };
}

/** The parser refuses the input with a ParseError at `line`, its reason matching `reason`. */
export function expectParseError(parse: () => unknown, line: number, reason: string | RegExp): void {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ParseError);
  const parseError = thrown as ParseError;
  expect({ line: parseError.line, reason: parseError.reason }).toEqual({
    line,
    reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
  });
}

/** A package row; `arch` and `installedAt` null unless given. */
export function installedPackage(
  source: PackageSource,
  name: string,
  version: string,
  arch: string | null = null,
  installedAt: string | null = null,
): PackageRow {
  return { name, version, arch, source, installedAt };
}

/**
 * The installed packages of the dpkg database behind the debian12-states fixtures: a status file
 * written to hold one package in every state, read by dpkg-query 1.21.22 with --admindir. Not in the
 * list: openssh-server (rc, configuration files only) and apache2 (not installed).
 */
export const dpkgStatesInstalled: PackageRow[] = [
  installedPackage('dpkg', 'adduser', '3.134', 'all'),
  installedPackage('dpkg', 'libc-bin', '2.36-9+deb12u14', 'amd64'), // it: triggers pending
  installedPackage('dpkg', 'libc6', '2.36-9+deb12u14', 'amd64'),
  installedPackage('dpkg', 'libc6', '2.36-9+deb12u14', 'i386'), // Multi-Arch: same, a second architecture
  installedPackage('dpkg', 'linux-image-6.1.0-18-amd64', '6.1.76-1', 'amd64'), // hi: held
  installedPackage('dpkg', 'man-db', '2.11.2-2', 'amd64'), // iW: triggers awaited
  installedPackage('dpkg', 'mariadb-server', '1:10.11.6-0+deb12u1', 'amd64'), // iHR: half-installed, reinstall required
  installedPackage('dpkg', 'nginx', '1.22.1-9', 'amd64'), // iU: unpacked, not configured
  installedPackage('dpkg', 'postgresql-15', '15.6-0+deb12u1', 'amd64'), // iF: half-configured
  installedPackage('dpkg', 'telnet', '0.17+2.4-2+deb12u1', 'all'), // ri: selected for removal, still installed
];

/** This machine's packages matched by the debian12-patterns fixtures (dpkg 1.21.22, Debian 12). */
export const dpkgPatternsInstalled: PackageRow[] = [
  installedPackage('dpkg', 'adduser', '3.134', 'all'),
  installedPackage('dpkg', 'base-files', '12.4+deb12u11', 'amd64'),
  installedPackage('dpkg', 'bash', '5.2.15-2+b8', 'amd64'),
  installedPackage('dpkg', 'gcc-12-base', '12.2.0-14+deb12u1', 'amd64'),
  installedPackage('dpkg', 'libc6', '2.36-9+deb12u14', 'amd64'),
  installedPackage('dpkg', 'libc6-dbg', '2.36-9+deb12u14', 'amd64'),
  installedPackage('dpkg', 'libc6-dev', '2.36-9+deb12u14', 'amd64'),
  installedPackage('dpkg', 'libgcc-s1', '12.2.0-14+deb12u1', 'amd64'),
  installedPackage('dpkg', 'libssl3', '3.0.19-1~deb12u2', 'amd64'),
  installedPackage('dpkg', 'libstdc++6', '12.2.0-14+deb12u1', 'amd64'),
  installedPackage('dpkg', 'openssh-client', '1:9.2p1-2+deb12u6', 'amd64'),
  installedPackage('dpkg', 'openssl', '3.0.19-1~deb12u2', 'amd64'),
  installedPackage('dpkg', 'tzdata', '2025b-0+deb12u2', 'all'),
  installedPackage('dpkg', 'zlib1g', '1:1.2.13.dfsg-1', 'amd64'),
];
