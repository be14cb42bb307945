import { describe, expect, it } from 'vitest';
import { parseNetstat } from '@/collector/parse/netstat';
import { isListening, type SocketRow } from '@/lib/schemas/snapshot';
import { expectParseError, readFixture, socket } from './helpers';

const read = (name: string) => readFixture('netstat', name);

/** `netstat -an` on the sample machine: PIDs (from -o) and programs (from -b) are added by the tests that have them. */
const windowsRows: SocketRow[] = [
  socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 135, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 445, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 3389, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 49664, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 5354, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '192.168.1.132', localPort: 139, remoteAddress: '0.0.0.0', state: 'LISTEN' }),
  socket({ proto: 'tcp', localAddress: '192.168.1.132', localPort: 3389, remoteAddress: '192.168.1.196', remotePort: 1732, state: 'ESTABLISHED' }),
  socket({ proto: 'tcp', localAddress: '192.168.1.132', localPort: 49713, remoteAddress: '52.96.165.18', remotePort: 443, state: 'TIME_WAIT' }),
  socket({ proto: 'tcp', localAddress: '192.168.1.132', localPort: 49720, remoteAddress: '23.45.67.89', remotePort: 80, state: 'CLOSE_WAIT' }),
  socket({ proto: 'tcp6', localAddress: '::', localPort: 135, remoteAddress: '::', state: 'LISTEN' }),
  socket({ proto: 'tcp6', localAddress: '::', localPort: 445, remoteAddress: '::', state: 'LISTEN' }),
  socket({ proto: 'tcp6', localAddress: '::1', localPort: 49669, remoteAddress: '::1', remotePort: 49670, state: 'ESTABLISHED' }),
  socket({ proto: 'udp', localAddress: '0.0.0.0', localPort: 500 }),
  socket({ proto: 'udp', localAddress: '0.0.0.0', localPort: 5353 }),
  socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 1900 }),
  socket({ proto: 'udp6', localAddress: '::', localPort: 500 }),
  socket({ proto: 'udp6', localAddress: 'fe80::28db:d21:3f57:fe7b%11', localPort: 1900 }),
];
// PID 0 (TIME_WAIT, owned by no process any more) is no owner.
const pids = [1012, 4, 1512, 756, 2236, 4, 1512, null, 6020, 1012, 4, 3312, 2876, 1888, 5140, 2876, 5140];
const programs = ['svchost.exe', null, 'svchost.exe', 'wininit.exe', 'mDNSResponder.exe', null, 'svchost.exe', null, 'msedge.exe'];
const programs6 = ['svchost.exe', null, 'Code.exe', 'svchost.exe', 'chrome.exe', 'svchost.exe', 'svchost.exe', 'svchost.exe'];

describe('parseNetstat on Windows output', () => {
  it('reads netstat -an: "Active Connections" is the title, not a section to skip; states the Linux way', () => {
    const rows = parseNetstat(read('windows-an.txt'));
    expect(rows).toEqual(windowsRows);
    // What a user asks first: what listens. Windows' LISTENING is LISTEN, UDP's *:* is no peer.
    expect(rows.filter(isListening).map((row) => `${row.proto} ${row.localAddress}:${row.localPort}`)).toEqual([
      'tcp 0.0.0.0:135',
      'tcp 0.0.0.0:445',
      'tcp 0.0.0.0:3389',
      'tcp 0.0.0.0:49664',
      'tcp 127.0.0.1:5354',
      'tcp 192.168.1.132:139',
      'tcp6 :::135',
      'tcp6 :::445',
      'udp 0.0.0.0:500',
      'udp 0.0.0.0:5353',
      'udp 127.0.0.1:1900',
      'udp6 :::500',
      'udp6 fe80::28db:d21:3f57:fe7b%11:1900',
    ]);
  });

  it('reads the -o PID column', () => {
    expect(parseNetstat(read('windows-ano.txt'))).toEqual(windowsRows.map((row, index) => ({ ...row, pid: pids[index] ?? null })));
  });

  it('reads -b: the [program.exe] line under a row is its process; components and "Can not obtain ownership" are not', () => {
    const processes = [...programs, ...programs6];
    expect(parseNetstat(read('windows-anob.txt'))).toEqual(
      windowsRows.map((row, index) => ({ ...row, pid: pids[index] ?? null, process: processes[index] ?? null })),
    );
  });

  it('reads plain netstat (names) and XP-era output whose local addresses are names too', () => {
    const plain = parseNetstat(read('windows-plain-names.txt'));
    expect(plain[2]).toEqual({
      ...socket({ proto: 'tcp', localAddress: '192.168.1.132', localPort: 49713, remoteAddress: 'lhr48s27-in-f14', remotePort: 443, state: 'ESTABLISHED' }),
      remoteAddressKind: 'name',
    });
    expect(plain[4]).toMatchObject({ remoteAddress: 'fs-wsp', remotePort: 445 });
    expect(plain[5]).toMatchObject({ proto: 'tcp6', localAddress: '::1', remoteAddress: 'DESKTOP-7JHF1', remoteAddressKind: 'name' });
    const xp = parseNetstat(read('windows-a-xp-names.txt'));
    expect(xp[0]).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'pc01', localPort: 135, remoteAddress: 'pc01', state: 'LISTEN' }),
      localAddressKind: 'name',
      remoteAddressKind: 'name',
    });
    expect(xp.map((row) => row.localPort)).toEqual([135, 445, 2112, 2167, 500, 123]);
  });

  it('reads -q (BOUND) and -p tcp', () => {
    expect(parseNetstat(read('windows-p-tcp-q-bound.txt')).map((row) => [row.localPort, row.state, row.pid])).toEqual([
      [135, 'LISTEN', 1012],
      [4294, 'BOUND', 5500],
      [8054, 'BOUND', 5500],
      [49713, 'ESTABLISHED', 6020],
    ]);
  });

  it('refuses what it cannot read right, saying why', () => {
    expectParseError(
      () => parseNetstat(read('refused-windows-b-not-elevated.txt')),
      1,
      'the error Windows netstat -b prints when not run as Administrator (it lists no sockets), not a socket table',
    );
    expectParseError(() => parseNetstat(read('refused-windows-german-ano.txt')), 5, /^unknown Windows TCP state "ABHÖREN" \(states are read in English only/);
    expectParseError(() => parseNetstat(read('refused-windows-route-print.txt')), 1, 'a routing table (Windows netstat -r, route print), not a socket table');
    expectParseError(() => parseNetstat('\r\nActive Connections\r\n\r\n  Proto  Local Address  Foreign Address  State\r\n'), 2, /^no internet sockets/);
    expectParseError(() => parseNetstat('  TCP    0.0.0.0:135\r\n'), 1, 'expected "PROTO LOCAL FOREIGN", got fewer columns');
  });
});
