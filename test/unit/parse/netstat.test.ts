import { describe, expect, it } from 'vitest';
import { parseNetstat } from '@/collector/parse/netstat';
import { socketSchema, type SocketRow } from '@/lib/schemas/snapshot';
import { expectParseError, isListening, readFixture, socket, withOwners } from './helpers';

const read = (name: string) => readFixture('netstat', name);

/** A Linux IPv4 listener as `netstat -anp` prints it: remote 0.0.0.0:*. */
function tcpListener(address: string, port: number, pid: number | null, process: string | null): SocketRow {
  return socket({ proto: 'tcp', localAddress: address, localPort: port, remoteAddress: '0.0.0.0', state: 'LISTEN', pid, process });
}

function udpSocket(address: string, port: number, pid: number | null, process: string | null): SocketRow {
  return socket({ proto: 'udp', localAddress: address, localPort: port, remoteAddress: '0.0.0.0', pid, process });
}

describe('parseNetstat', () => {
  it('reads the Linux netstat -anp --ip seed: program names with spaces, "-" for no owner', () => {
    const rows = parseNetstat(read('seed-anp-ip.txt'));
    expect(rows).toEqual([
      tcpListener('0.0.0.0', 32768, 523, 'rpc.statd'),
      tcpListener('0.0.0.0', 32769, 735, 'rpc.mountd'),
      tcpListener('0.0.0.0', 515, 707, 'lpd Waiting'),
      tcpListener('0.0.0.0', 139, 880, 'smbd'),
      tcpListener('0.0.0.0', 111, 508, 'portmap'),
      tcpListener('0.0.0.0', 6000, 934, 'X'),
      tcpListener('0.0.0.0', 80, 812, 'httpd'),
      tcpListener('0.0.0.0', 22, 671, 'sshd'),
      tcpListener('0.0.0.0', 25, 783, 'sendmail: accep'),
      tcpListener('0.0.0.0', 443, 812, 'httpd'),
      socket({
        proto: 'tcp',
        localAddress: '192.168.1.5',
        localPort: 32987,
        remoteAddress: '142.232.66.1',
        remotePort: 22,
        state: 'ESTABLISHED',
        pid: 4291,
        process: 'ssh',
      }),
      socket({
        proto: 'tcp',
        localAddress: '192.168.1.5',
        localPort: 139,
        remoteAddress: '192.168.1.20',
        remotePort: 1593,
        state: 'ESTABLISHED',
        pid: 3192,
        process: 'smbd',
      }),
      udpSocket('0.0.0.0', 32768, 523, 'rpc.statd'),
      udpSocket('0.0.0.0', 2049, null, null),
      udpSocket('0.0.0.0', 32769, 735, 'rpc.mountd'),
      udpSocket('0.0.0.0', 32770, null, null),
      udpSocket('192.168.1.5', 137, 885, 'nmbd'),
      udpSocket('0.0.0.0', 137, 885, 'nmbd'),
      udpSocket('192.168.1.5', 138, 885, 'nmbd'),
      udpSocket('0.0.0.0', 138, 885, 'nmbd'),
      udpSocket('0.0.0.0', 907, 730, 'rpc.rquotad'),
      udpSocket('127.0.0.1', 32802, 3192, 'smbd'),
      udpSocket('0.0.0.0', 699, 523, 'rpc.statd'),
      udpSocket('0.0.0.0', 111, 508, 'portmap'),
    ]);
    for (const row of rows) expect(socketSchema.safeParse(row).success).toBe(true);
  });

  const linuxRows = [
    tcpListener('127.0.0.1', 5432, 2185, 'postgres'),
    tcpListener('0.0.0.0', 18081, 19003, 'python3'),
    tcpListener('127.0.0.1', 6379, 2205, 'redis-server 1'),
    socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 4369, remoteAddress: '127.0.0.1', remotePort: 60904, state: 'TIME_WAIT' }),
    socket({
      proto: 'tcp',
      localAddress: '127.0.0.1',
      localPort: 4369,
      remoteAddress: '127.0.0.1',
      remotePort: 52420,
      state: 'ESTABLISHED',
      pid: 2889,
      process: 'epmd',
    }),
    socket({
      proto: 'tcp',
      localAddress: '127.0.0.1',
      localPort: 47626,
      remoteAddress: '127.0.0.1',
      remotePort: 18080,
      state: 'ESTABLISHED',
      pid: 19003,
      process: 'python3',
    }),
    socket({ proto: 'tcp6', localAddress: '::1', localPort: 6379, remoteAddress: '::', state: 'LISTEN', pid: 2205, process: 'redis-server 1' }),
    socket({ proto: 'tcp6', localAddress: '::', localPort: 18080, remoteAddress: '::', state: 'LISTEN', pid: 19003, process: 'python3' }),
    socket({
      proto: 'tcp6',
      localAddress: '127.0.0.1',
      localPort: 18080,
      remoteAddress: '127.0.0.1',
      remotePort: 47626,
      state: 'ESTABLISHED',
      pid: 19003,
      process: 'python3',
    }),
    socket({
      proto: 'udp',
      localAddress: '127.0.0.1',
      localPort: 36667,
      remoteAddress: '127.0.0.1',
      remotePort: 15353,
      state: 'ESTABLISHED',
      pid: 19003,
      process: 'python3',
    }),
    udpSocket('127.0.0.1', 15353, 19003, 'python3'),
    udpSocket('0.0.0.0', 15355, 19003, 'python3'),
    socket({ proto: 'udp6', localAddress: '::', localPort: 15354, remoteAddress: '::', pid: 19003, process: 'python3' }),
  ];
  const linuxIpv4Rows = linuxRows.filter((row) => row.proto === 'tcp' || row.proto === 'udp');

  it('reads Linux netstat -anp (:::22 forms, blank UDP state) and skips the UNIX domain section', () => {
    expect(parseNetstat(read('linux-anp.txt'))).toEqual(linuxRows);
  });

  it('reads netstat -tulpn (listeners only) and -an (no PID/Program column)', () => {
    expect(parseNetstat(read('linux-tulpn.txt'))).toEqual(linuxRows.filter(isListening));
    expect(parseNetstat(read('linux-an.txt'))).toEqual(linuxIpv4Rows.map((row) => ({ ...row, pid: null, process: null })));
  });

  it('reads the User and Inode columns of -e (none for an ownerless TIME_WAIT) and the Timer column of -o', () => {
    // [uid, inode] of each IPv4 row, in order; the TIME_WAIT socket has none.
    const owners: ([number, number] | null)[] = [[101, 4441], [0, 48246], [0, 5496], null, [106, 6937], [0, 49351], [0, 49353], [0, 48247], [0, 48249]];
    expect(parseNetstat(read('linux-anpe.txt'))).toEqual(withOwners(linuxIpv4Rows, owners));
    expect(parseNetstat(read('linux-anpo.txt'))).toEqual(linuxIpv4Rows);
  });

  it('passes over the notice netstat -p prints when not run as root, and has no owner where it shows "-"', () => {
    expect(parseNetstat(read('linux-tulpn-not-root.txt'))).toEqual([
      tcpListener('127.0.0.53', 53, null, null),
      tcpListener('0.0.0.0', 22, null, null),
      tcpListener('127.0.0.1', 8000, 48211, 'python3'),
      socket({ proto: 'tcp6', localAddress: '::', localPort: 22, remoteAddress: '::', state: 'LISTEN' }),
      udpSocket('127.0.0.53', 53, null, null),
      udpSocket('0.0.0.0', 68, null, null),
      // A raw socket's state column is the kernel's number (7), which names no TCP state.
      socket({ proto: 'raw6', localAddress: '::', localPort: 58, remoteAddress: '::' }),
    ]);
  });

  it('reads the OSPatrol dump of BSD netstat -an | grep LISTEN: *.22, ::1.53, no header', () => {
    const listener = (proto: 'tcp' | 'tcp6', localAddress: string, localPort: number) =>
      socket({ proto, localAddress, localPort, remoteAddress: '*', state: 'LISTEN' });
    expect(parseNetstat(read('ospatrol-listen.txt'))).toEqual([
      listener('tcp', '*', 6000),
      listener('tcp', '*', 22),
      listener('tcp6', '*', 6000),
      listener('tcp6', '::1', 53),
      listener('tcp6', '::1', 587),
      listener('tcp6', '::1', 25),
    ]);
  });

  it('reads FreeBSD netstat -an: tcp4, tcp46 (an IPv6 socket), udp with zones, and skips UNIX sockets', () => {
    expect(parseNetstat(read('freebsd-an.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 22, remoteAddress: '10.0.0.9', remotePort: 51234, state: 'ESTABLISHED' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 25, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 80, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 36420, remoteAddress: '93.184.216.34', remotePort: 443, state: 'TIME_WAIT' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 514, remoteAddress: '*' }),
      socket({ proto: 'udp6', localAddress: '*', localPort: 514, remoteAddress: '*' }),
      socket({ proto: 'udp', localAddress: '10.0.0.5', localPort: 123, remoteAddress: '*' }),
      socket({ proto: 'udp6', localAddress: 'fe80::1%lo0', localPort: 123, remoteAddress: '*' }),
      socket({ proto: 'udp6', localAddress: '::1', localPort: 123, remoteAddress: '*' }),
    ]);
  });

  it('reads macOS netstat -an: icm6 raw sockets, and skips the multipath, UNIX and kernel sections', () => {
    expect(parseNetstat(read('macos-an.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '192.168.1.23', localPort: 50512, remoteAddress: '142.250.74.78', remotePort: 443, state: 'ESTABLISHED' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 631, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '::1', localPort: 631, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 5000, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 5353, remoteAddress: '*' }),
      socket({ proto: 'udp6', localAddress: '*', localPort: 5353, remoteAddress: '*' }),
      socket({ proto: 'udp', localAddress: '*', localPort: null, remoteAddress: '*' }),
      socket({ proto: 'raw6', localAddress: '*', localPort: null, remoteAddress: '*' }),
    ]);
  });

  it('reads both dialects line by line in one file, and nothing from empty input', () => {
    const mixed = 'tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN\ntcp4 0 0 *.22 *.* LISTEN\nraw6 0 0 :::58 :::* 7 -\n';
    expect(parseNetstat(mixed)).toEqual([
      tcpListener('0.0.0.0', 22, null, null),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN' }),
      socket({ proto: 'raw6', localAddress: '::', localPort: 58, remoteAddress: '::' }),
    ]);
    expect(parseNetstat('')).toEqual([]);
  });

  it('refuses malformed lines at their line number', () => {
    expectParseError(() => parseNetstat(read('malformed-columns.txt')), 4, 'expected "PROTO RECV-Q SEND-Q LOCAL REMOTE [STATE]", got 4 columns');
    expectParseError(() => parseNetstat(read('malformed-port.txt')), 3, 'port 70000 out of range');
    expectParseError(() => parseNetstat('tcp 0 0 0.0.0.0:s(h) 0.0.0.0:* LISTEN\n'), 1, 'port "s(h)" is neither a number nor a service name');
    expectParseError(() => parseNetstat(read('malformed-program.txt')), 3, 'expected "PID/Program name" or "-", got "nginx"');
    expectParseError(() => parseNetstat(read('malformed-ospatrol-alert.txt')), 1, 'unknown protocol "**"');
    expectParseError(() => parseNetstat('tcp4 0 0 *.22 *.* LISTEN extra\n'), 1, 'unexpected "extra" after the state');
    expectParseError(() => parseNetstat('tcp 0 x 0.0.0.0:22 0.0.0.0:* LISTEN\n'), 1, 'Send-Q "x" is not a number');
  });
});
