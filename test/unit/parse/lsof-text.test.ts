import { describe, expect, it } from 'vitest';
import { parseToolOutput } from '@/collector/parse/index';
import { parseLsofText } from '@/collector/parse/lsof-text';
import { type SocketRow, socketSchema } from '@/lib/schemas/snapshot';
import { expectParseError, lsofLinuxSockets, lsofSeedSockets, readFixture, socket } from './helpers';

const read = (name: string) => readFixture('lsof', name);

describe('parseLsofText', () => {
  it('reads the WebJob recipe output of lsof -Di -n -P -itcp -iudp', () => {
    const rows = parseLsofText(read('webjob-seed.txt'));
    expect(rows).toEqual(lsofSeedSockets());
    for (const row of rows) expect(socketSchema.safeParse(row).success).toBe(true);
  });

  it('reads Linux lsof -i -n -P: [::1]:6379, (LISTEN), -> remotes, user names or, with -l, uids', () => {
    // lsof cuts the command to nine characters: "redis-server" shows as "redis-ser".
    const expected = lsofLinuxSockets({
      postgres: { pid: 2185, process: 'postgres', user: 'postgres' },
      redis: { pid: 2205, process: 'redis-ser', user: 'root' },
      epmd: { pid: 2889, process: 'epmd', user: 'rabbitmq' },
      python: { pid: 19003, process: 'python3', user: 'root' },
    });
    expect(parseLsofText(read('linux-i-n-P.txt'))).toEqual(expected);
    const uids = new Map([
      ['postgres', 101],
      ['root', 0],
      ['rabbitmq', 106],
    ]);
    expect(parseLsofText(read('linux-i-numeric-users.txt'))).toEqual(expected.map((row) => ({ ...row, user: null, uid: uids.get(row.user ?? '') ?? null })));
  });

  it('reads macOS lsof: long device addresses, escaped command names, IPv6 zones in brackets', () => {
    expect(parseLsofText(read('macos-i-n-P.txt'))).toEqual([
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, state: 'LISTEN', pid: 1, process: 'launchd', user: 'root' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, state: 'LISTEN', pid: 1, process: 'launchd', user: 'root' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 5353, pid: 186, process: 'mDNSRespo', user: '_mdnsresponder' }),
      socket({ proto: 'udp6', localAddress: '*', localPort: 5353, pid: 186, process: 'mDNSRespo', user: '_mdnsresponder' }),
      socket({ proto: 'tcp6', localAddress: '::1', localPort: 631, state: 'LISTEN', pid: 412, process: 'cupsd', user: 'root' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 631, state: 'LISTEN', pid: 412, process: 'cupsd', user: 'root' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 49152, state: 'LISTEN', pid: 512, process: 'rapportd', user: 'alice' }),
      socket({
        proto: 'tcp',
        localAddress: '192.168.1.23',
        localPort: 50512,
        remoteAddress: '142.250.74.78',
        remotePort: 443,
        state: 'ESTABLISHED',
        pid: 901,
        process: 'Google\\x20',
        user: 'alice',
      }),
      socket({
        proto: 'tcp6',
        localAddress: 'fe80::1c2b:3a4d:5e6f:7081%en0',
        localPort: 50600,
        remoteAddress: 'fe80::aede:48ff:fe00:1122%en0',
        remotePort: 22,
        state: 'ESTABLISHED',
        pid: 1337,
        process: 'ssh',
        user: 'alice',
      }),
    ]);
  });

  it('finds USER from TYPE when TID and TASKCMD columns are there, and has no row for ICMP', () => {
    expect(parseLsofText(read('linux-tasks.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '*', localPort: 80, state: 'LISTEN', pid: 1201, process: 'nginx', user: 'root' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 80, state: 'LISTEN', pid: 1201, process: 'nginx', user: 'root' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 8080, state: 'LISTEN', pid: 2001, process: 'java', uid: 1001 }),
      socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 323, pid: 688, process: 'chronyd', user: 'chrony' }),
    ]);
  });

  it('passes over files that are not internet sockets, reads nothing from empty input, and refuses input with no socket at all', () => {
    const files = 'COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nnamed 555 root cwd DIR 3,1 4096 66512 /var/cache/bind\n';
    expect(parseLsofText(`${files}named 555 root 20u IPv4 7788 0t0 UDP 127.0.0.1:53\n`)).toEqual([
      socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 53, pid: 555, process: 'named', user: 'root' }),
    ]);
    expect(parseLsofText('')).toEqual([]);
    expectParseError(() => parseLsofText(files), 1, 'no internet sockets in this lsof output (run lsof with -i)');
    const warnings = "lsof: WARNING: can't stat() fuse.gvfsd-fuse file system /run/user/1000/gvfs\n      Output information may be incomplete.\n";
    expectParseError(() => parseLsofText(warnings), 1, 'no internet sockets in this lsof output (run lsof with -i)');
  });

  it('refuses the WebJob seed whose lines a document wrapped, and other malformed lines, at their line', () => {
    expectParseError(
      () => parseLsofText(read('malformed-seed-lsof-i-names.txt')),
      7,
      'expected NAME (ADDRESS:PORT) after "TCP", got the end of the line (was it wrapped?)',
    );
    expectParseError(() => parseLsofText(read('malformed-port.txt')), 3, 'port 70000 out of range');
    expectParseError(() => parseLsofText(read('malformed-pid.txt')), 2, 'pid "abc" is not a number');
    expectParseError(() => parseLsofText(read('malformed-columns.txt')), 3, 'expected "DEVICE SIZE/OFF NODE NAME" after IPv4, got 6 columns');
    expectParseError(() => parseLsofText('sshd 671 IPv4 17243 0t0 TCP *:22\n'), 1, 'expected USER and FD before IPv4');
  });

  it('reads lsof -i without -n -P: the same sockets as with them, names kept as names', () => {
    const named = parseLsofText(read('debian12-i-names.txt'));
    const numeric = parseLsofText(read('debian12-i-n-P.txt'));
    expect(named.map((row) => [row.proto, row.localPort, row.remotePort, row.state, row.pid])).toEqual(
      numeric.map((row) => [row.proto, row.localPort, row.remotePort, row.state, row.pid]),
    );
    expect(named.find((row) => row.localPort === 25)).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 25, state: 'LISTEN', pid: 9944, process: 'python3', user: 'root' }),
      localAddressKind: 'name',
    });
    expect(named.find((row) => row.localPort === 631)).toMatchObject({ proto: 'tcp6', localAddress: '::1' });
  });

  it('reads macOS lsof -i with names, an unknown service kept by name', () => {
    const rows = parseLsofText(read('macos-i-names.txt'));
    expect(rows[3]).toEqual({
      ...socket({ proto: 'tcp6', localAddress: 'localhost', localPort: 631, state: 'LISTEN', pid: 412, process: 'cupsd', user: 'root' }),
      localAddressKind: 'name',
    });
    expect(rows[5]).toEqual({
      ...socket({ proto: 'tcp', localAddress: '*', localPort: null, state: 'LISTEN', pid: 512, process: 'ControlCe', user: 'alice' }),
      localService: 'commplex-main',
    });
    expect(rows[6]).toMatchObject({ remoteAddress: 'lhr48s27-in-f14.1e100.net', remoteAddressKind: 'name', remotePort: 443 });
    expect(rows[7]).toMatchObject({ remoteAddress: 'fe80::aede:48ff:fe00:1122%en0', remotePort: 22 });
  });

  it('reads each socket once when every thread repeats it on a TID line (lsof -K)', () => {
    // `-a -K -i` lists the processes that have threads (redis-server, python3), each socket once per thread.
    const threaded = (row: SocketRow) => row.pid === 2221 || row.pid === 9944;
    const threads = parseLsofText(read('debian12-i-K-threads-names.txt'));
    expect(threads).toEqual(parseLsofText(read('debian12-i-names.txt')).filter(threaded));
    expect(parseLsofText(read('debian12-i-K-n-P-threads.txt'))).toEqual(parseLsofText(read('debian12-i-n-P.txt')).filter(threaded));
    expect(threads).toHaveLength(12);
  });

  it("refuses another tool's output, saying which", () => {
    expectParseError(
      () => parseToolOutput('lsof', read('refused-debian12-ss-tulpn.txt')),
      1,
      'this looks like ss output, not a socket table (try --format ss)',
    );
  });
});
