import { describe, expect, it } from 'vitest';
import { parseNetstat } from '@/collector/parse/netstat';
import { expectParseError, readFixture, socket } from './helpers';

const read = (name: string) => readFixture('netstat', name);

/** A BSD row: `*.*` for a listener's or UDP socket's peer. */
const any = { remoteAddress: '*' } as const;

describe('parseNetstat on FreeBSD and macOS -A, -T, -L, -x, -P, -b, -v output', () => {
  it('reads FreeBSD -An past the Tcpcb column, and marks an endpoint cut at 18 characters as truncated', () => {
    expect(parseNetstat(read('freebsd-An.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 22, remoteAddress: '10.0.0.9', remotePort: 51234, state: 'ESTABLISHED' }),
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 61702, remoteAddress: '192.0.2.80', remotePort: 443, state: 'TIME_WAIT' }),
      // `192.168.100.200.51234` lost its last digits: the text is kept as printed, the port is not guessed.
      {
        ...socket({ proto: 'tcp', localAddress: '192.168.100.200.51', localPort: null, remoteAddress: '192.168.100.1.8080', state: 'ESTABLISHED' }),
        localAddressKind: 'truncated',
        remoteAddressKind: 'truncated',
      },
      socket({ proto: 'udp', localAddress: '10.0.0.5', localPort: 123, ...any }),
      socket({ proto: 'udp6', localAddress: 'fe80::1%lo0', localPort: 123, ...any }),
    ]);
  });

  it('reads FreeBSD -Aa with names: hosts -A cut to 12 characters are marked truncated', () => {
    const rows = parseNetstat(read('freebsd-Aa-names.txt'));
    expect(rows[0]).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'mail.example', localPort: 25, remoteAddress: '192.168.1.10', remotePort: 51234, state: 'ESTABLISHED' }),
      localAddressKind: 'truncated',
      remoteAddressKind: 'truncated',
    });
    expect(rows.slice(1)).toEqual([
      { ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 25, ...any, state: 'LISTEN' }), localAddressKind: 'name' },
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, ...any, state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, ...any, state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 80, ...any, state: 'LISTEN' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 514, ...any }),
      socket({ proto: 'udp', localAddress: '10.0.0.5', localPort: 123, ...any }),
    ]);
  });

  it('reads -aT (Rexmit OOORcv 0-win, blank for UDP) and -Aax (buffer and timer columns): neither prints a TCP state', () => {
    const tcpAndUdp = [
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 22, remoteAddress: '10.0.0.9', remotePort: 51234 }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, ...any }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, ...any }),
      socket({ proto: 'udp', localAddress: '*', localPort: 514, ...any }),
      socket({ proto: 'udp6', localAddress: '*', localPort: 514, ...any }),
    ];
    expect(parseNetstat(read('freebsd-aT.txt'))).toEqual(tcpAndUdp);
    expect(parseNetstat(read('freebsd-Aax.txt'))).toEqual([tcpAndUdp[0], tcpAndUdp[1], tcpAndUdp[3]]);
  });

  it('reads -AanP (a Log ID after the state) and -L (listen queues: every TCP row listens)', () => {
    expect(parseNetstat(read('freebsd-AanP.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 22, remoteAddress: '10.0.0.9', remotePort: 51234, state: 'ESTABLISHED' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, ...any, state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, ...any, state: 'LISTEN' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 514, ...any }),
    ]);
    expect(parseNetstat(read('freebsd-L.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, state: 'LISTEN' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 22, state: 'LISTEN' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 25, state: 'LISTEN' }),
    ]);
  });

  it('reads FreeBSD -R (flow columns, no state), -c (Stack) and -C (congestion columns) by their header names', () => {
    const established = socket({ proto: 'tcp', localAddress: '10.0.0.5', localPort: 22, remoteAddress: '10.0.0.9', remotePort: 51234, state: 'ESTABLISHED' });
    const syslog = socket({ proto: 'udp', localAddress: '*', localPort: 514, ...any });
    const flows = [
      'Proto Recv-Q Send-Q Local Address          Foreign Address          flowid ftype',
      'tcp4       0      0 10.0.0.5.22            10.0.0.9.51234         00000000     0',
      'udp4       0      0 *.514                  *.*                    00000000     0',
    ];
    expect(parseNetstat(flows.join('\n'))).toEqual([{ ...established, state: null }, syslog]);
    const stack = [
      'Proto Recv-Q Send-Q Local Address          Foreign Address        (state)     Stack',
      'tcp4       0      0 10.0.0.5.22            10.0.0.9.51234         ESTABLISHED freebsd',
      'udp4       0      0 *.514                  *.*',
    ];
    expect(parseNetstat(stack.join('\n'))).toEqual([established, syslog]);
    const congestion = [
      'Proto Recv-Q Send-Q Local Address          Foreign Address        (state)     CC         cwin   ssthresh   MSS ECN',
      'tcp4       0      0 10.0.0.5.22            10.0.0.9.51234         ESTABLISHED cubic     14480 1073725440  1448 off',
    ];
    expect(parseNetstat(congestion.join('\n'))).toEqual([established]);
  });

  it('reads macOS -Abn past the Socket and Flowhash columns, before rxbytes and txbytes', () => {
    expect(parseNetstat(read('macos-Abn.txt'))).toEqual([
      socket({ proto: 'tcp', localAddress: '192.168.1.23', localPort: 50512, remoteAddress: '142.250.74.78', remotePort: 443, state: 'ESTABLISHED' }),
      // inet6print keeps 16 characters of the host, then the 18-character column cuts the port: `fe80::1c2b:3a4d:.5`.
      {
        ...socket({ proto: 'tcp6', localAddress: 'fe80::1c2b:3a4d:.5', localPort: null, remoteAddress: 'fe80::aede:48ff:.2', state: 'ESTABLISHED' }),
        localAddressKind: 'truncated',
        remoteAddressKind: 'truncated',
      },
      socket({ proto: 'udp', localAddress: '*', localPort: 5353, ...any }),
    ]);
  });

  it('reads the owner macOS -v prints, as `pid` or as `process:pid` (a name with spaces)', () => {
    expect(parseNetstat(read('macos-anv-pid.txt')).map((row) => [row.proto, row.localPort, row.state, row.pid])).toEqual([
      ['tcp', 50512, 'ESTABLISHED', 901],
      ['tcp', 631, 'LISTEN', 412],
      ['tcp6', 631, 'LISTEN', 412],
      ['udp', 5353, null, 186],
    ]);
    expect(parseNetstat(read('macos-anv-process-pid.txt')).map((row) => [row.localPort, row.state, row.pid, row.process])).toEqual([
      [50512, 'ESTABLISHED', 901, 'Google Chrome H'],
      [631, 'LISTEN', 412, 'cupsd'],
      [5353, null, 186, 'mDNSResponder'],
    ]);
  });

  it('reads macOS with names: fe80::aede:48ff:.61677 is a cut address with a whole port; a cut name keeps its text', () => {
    expect(parseNetstat(read('macos-a-names.txt'))).toEqual([
      // At the column's edge the service name itself may be cut: no port is claimed.
      {
        ...socket({ proto: 'tcp', localAddress: '192.168.1.23', localPort: 50512, remoteAddress: 'lhr48s27-in-f14..https', state: 'ESTABLISHED' }),
        remoteAddressKind: 'truncated',
      },
      {
        ...socket({
          proto: 'tcp6',
          localAddress: 'fe80::1c2b:3a4d:',
          localPort: 61677,
          remoteAddress: 'fe80::aede:48ff:',
          remotePort: 22,
          state: 'ESTABLISHED',
        }),
        localAddressKind: 'truncated',
        remoteAddressKind: 'truncated',
      },
      { ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 631, ...any, state: 'LISTEN' }), localAddressKind: 'name' },
      { ...socket({ proto: 'tcp6', localAddress: 'localhost', localPort: 631, ...any, state: 'LISTEN' }), localAddressKind: 'name' },
      // macOS names port 5000 commplex-main; Debian's table does not know it: the name is kept, the port is not guessed.
      { ...socket({ proto: 'tcp6', localAddress: '*', localPort: null, ...any, state: 'LISTEN' }), localService: 'commplex-main' },
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, ...any, state: 'LISTEN' }),
      socket({ proto: 'udp', localAddress: '*', localPort: 5353, ...any }),
      socket({ proto: 'udp', localAddress: '*', localPort: null, ...any }),
    ]);
  });

  it('refuses macOS -L, whose rows name no protocol, and damaged -A rows', () => {
    expectParseError(
      () => parseNetstat(read('refused-macos-L.txt')),
      2,
      'macOS netstat -L lists listen queues without their protocol; run netstat -an instead',
    );
    const header = 'Tcpcb            Proto Recv-Q Send-Q Local Address      Foreign Address    (state)\n';
    expectParseError(() => parseNetstat(`${header}not-hex tcp4 0 0 *.22 *.* LISTEN\n`), 2, 'expected the -A control block address (hex), got "not-hex"');
    expectParseError(() => parseNetstat(`${header}fffff800 tcp4 0 0 *.22 *.*\n`), 2, 'expected the TCP state after the addresses');
    expectParseError(
      () => parseNetstat('Proto Rexmit OOORcv Local Address Foreign Address\n'),
      1,
      /^expected "Recv-Q Send-Q", "Rexmit OOORcv 0-win" or "Listen"/,
    );
  });
});
