import { describe, expect, it } from 'vitest';
import { parseProcNetSockets, tcpStateName, udpStateName } from '../../../collector/gather/linux/proc-net-sockets';
import { parseSockstat, tablesWorthReading } from '../../../collector/gather/linux/sockets';
import { fixtureText } from './fixture';

// The four tables were read from a live host at the same moment as proc-net/ss-tunapH.txt.
describe('parseProcNetSockets on /proc/net/tcp', () => {
  const sockets = parseProcNetSockets(fixtureText('proc-net/tcp.txt'), 'tcp', 'LE');

  it('reads every socket line and skips the header', () => {
    expect(sockets).toHaveLength(23);
  });

  it('reports a listener with the any-address peer and no peer port, as ss prints 0.0.0.0:*', () => {
    expect(sockets).toContainEqual({
      proto: 'tcp',
      localAddress: '127.0.0.1',
      localPort: 47001,
      remoteAddress: '0.0.0.0',
      remotePort: null,
      state: 'LISTEN',
      socketUid: 0,
      inode: 38213,
    });
    expect(sockets.find((socket) => socket.localPort === 2024)).toMatchObject({ localAddress: '0.0.0.0', state: 'LISTEN' });
  });

  it('reports both ends of an established connection', () => {
    const connection = sockets.filter((socket) => socket.state === 'ESTABLISHED' && [47001, 44960].includes(socket.localPort));
    expect(connection).toEqual([
      expect.objectContaining({ localPort: 47001, remoteAddress: '127.0.0.1', remotePort: 44960, inode: 38217 }),
      expect.objectContaining({ localPort: 44960, remoteAddress: '127.0.0.1', remotePort: 47001, inode: 38216 }),
    ]);
  });

  it('gives TIME_WAIT sockets no inode, because no process holds them', () => {
    const timeWait = sockets.filter((socket) => socket.state === 'TIME_WAIT');
    expect(timeWait).toHaveLength(7);
    expect(timeWait.every((socket) => socket.inode === null)).toBe(true);
    expect(timeWait).toContainEqual(expect.objectContaining({ localAddress: '192.0.2.2', localPort: 52728, remoteAddress: '203.0.113.80', remotePort: 80 }));
  });

  it('passes TIME_WAIT lines over when told to leave them out, and keeps every other state', () => {
    const withoutTimeWait = parseProcNetSockets(fixtureText('proc-net/tcp.txt'), 'tcp', 'LE', { includeTimeWait: false });
    expect(withoutTimeWait).toEqual(sockets.filter((socket) => socket.state !== 'TIME_WAIT'));
    expect(withoutTimeWait).toHaveLength(16);
  });

  it('keeps the uid the kernel recorded for each socket', () => {
    expect(sockets.find((socket) => socket.inode === 6070)).toMatchObject({ localPort: 25672, socketUid: 106 });
  });
});

describe('parseProcNetSockets on /proc/net/tcp6', () => {
  const sockets = parseProcNetSockets(fixtureText('proc-net/tcp6.txt'), 'tcp6', 'LE');

  it('decodes loopback, any and IPv4-mapped addresses', () => {
    expect(sockets.map((socket) => `${socket.localAddress} ${socket.localPort} ${socket.remoteAddress} ${socket.remotePort} ${socket.state}`)).toEqual([
      ':: 47003 :: null LISTEN',
      '::1 6379 :: null LISTEN',
      '::1 4369 :: null LISTEN',
      '::1 47002 :: null LISTEN',
      '::1 59400 ::1 47002 ESTABLISHED',
      '::1 47002 ::1 59400 ESTABLISHED',
      '::ffff:127.0.0.1 47003 ::ffff:127.0.0.1 47370 ESTABLISHED',
    ]);
    expect(sockets.every((socket) => socket.proto === 'tcp6')).toBe(true);
  });
});

describe('parseProcNetSockets on UDP tables', () => {
  it('gives an unconnected socket a null state and a connected one ESTABLISHED', () => {
    const udp = parseProcNetSockets(fixtureText('proc-net/udp.txt'), 'udp', 'LE');
    expect(udp).toEqual([
      {
        proto: 'udp',
        localAddress: '127.0.0.1',
        localPort: 59247,
        remoteAddress: '127.0.0.1',
        remotePort: 47004,
        state: 'ESTABLISHED',
        socketUid: 0,
        inode: 38225,
      },
      {
        proto: 'udp',
        localAddress: '127.0.0.1',
        localPort: 47004,
        remoteAddress: '0.0.0.0',
        remotePort: null,
        state: null,
        socketUid: 0,
        inode: 38223,
      },
    ]);
  });

  it('reads udp6 the same way', () => {
    const udp6 = parseProcNetSockets(fixtureText('proc-net/udp6.txt'), 'udp6', 'LE');
    expect(udp6.map((socket) => [socket.localAddress, socket.localPort, socket.remoteAddress, socket.remotePort, socket.state])).toEqual([
      ['::1', 49822, '::1', 47005, 'ESTABLISHED'],
      ['::1', 47005, '::', null, null],
    ]);
  });
});

describe('malformed tables', () => {
  it('keeps the good lines and skips truncated, foreign and badly encoded ones', () => {
    const sockets = parseProcNetSockets(fixtureText('proc-net/tcp-malformed.txt'), 'tcp', 'LE');
    expect(sockets.map((socket) => socket.localPort)).toEqual([25672, 47001]);
  });

  it('returns nothing for an empty table', () => {
    expect(parseProcNetSockets('', 'tcp', 'LE')).toEqual([]);
  });
});

describe('state names', () => {
  it('names every TCP state the kernel prints', () => {
    const names = Array.from({ length: 11 }, (_, index) => tcpStateName(index + 1));
    expect(names).toEqual([
      'ESTABLISHED',
      'SYN_SENT',
      'SYN_RECV',
      'FIN_WAIT1',
      'FIN_WAIT2',
      'TIME_WAIT',
      'CLOSE',
      'CLOSE_WAIT',
      'LAST_ACK',
      'LISTEN',
      'CLOSING',
    ]);
    expect(tcpStateName(0x63)).toBeNull();
  });

  it('knows only connected or not for UDP', () => {
    expect(udpStateName(0x01)).toBe('ESTABLISHED');
    expect(udpStateName(0x07)).toBeNull();
  });
});

// Read while a process held an ICMP, an ICMPv6 and a protocol-255 raw socket bound to 127.0.0.1;
// `ss -wanp` then printed 0.0.0.0:1, *:58 and 127.0.0.1:255.
describe('parseProcNetSockets on /proc/net/raw and raw6', () => {
  it('reports the IP protocol as the local port, and no peer, as ss -w does', () => {
    expect(parseProcNetSockets(fixtureText('proc-net/raw.txt'), 'raw', 'LE')).toEqual([
      { proto: 'raw', localAddress: '127.0.0.1', localPort: 255, remoteAddress: '0.0.0.0', remotePort: null, state: null, socketUid: 0, inode: 90440 },
      { proto: 'raw', localAddress: '0.0.0.0', localPort: 1, remoteAddress: '0.0.0.0', remotePort: null, state: null, socketUid: 0, inode: 90438 },
    ]);
    expect(parseProcNetSockets(fixtureText('proc-net/raw6.txt'), 'raw6', 'LE')).toEqual([
      { proto: 'raw6', localAddress: '::', localPort: 58, remoteAddress: '::', remotePort: null, state: null, socketUid: 0, inode: 90439 },
    ]);
  });
});

// Read from a live host: TCP in use over IPv4 and IPv6, TIME_WAIT entries, no UDP or raw sockets.
describe('tablesWorthReading', () => {
  const sockstat = `${fixtureText('proc-net/sockstat.txt')}\n${fixtureText('proc-net/sockstat6.txt')}`;

  it('reads the per-namespace counters', () => {
    expect(parseSockstat(sockstat).get('TCP')).toEqual(
      new Map([
        ['inuse', 17],
        ['orphan', 0],
        ['tw', 730],
        ['alloc', 20],
        ['mem', 248],
      ]),
    );
    expect(parseSockstat(sockstat).get('TCP6')?.get('inuse')).toBe(2);
  });

  it('skips the tables of protocols the namespace holds no socket of', () => {
    expect(tablesWorthReading(sockstat)).toEqual(['tcp', 'tcp6']);
  });

  it('reads both TCP tables while TIME_WAIT entries exist, whatever the in-use counts', () => {
    expect(tablesWorthReading('TCP: inuse 0 orphan 0 tw 3 alloc 0 mem 0\nTCP6: inuse 0\nUDP: inuse 1 mem 1\n')).toEqual([
      'tcp',
      'tcp6',
      'udp',
      'udp6',
      'raw',
      'raw6',
    ]);
    expect(
      tablesWorthReading('TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\nUDP: inuse 0 mem 0\nRAW: inuse 0\nTCP6: inuse 0\nUDP6: inuse 0\nRAW6: inuse 0\n'),
    ).toEqual([]);
  });

  it('reads every table whose counter is missing (an old kernel, a copied tree)', () => {
    expect(tablesWorthReading(null)).toEqual(['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6']);
    expect(tablesWorthReading('TCP: inuse 0 orphan 0 tw 0 alloc 0 mem 0\n')).toEqual(['tcp6', 'udp', 'udp6', 'raw', 'raw6']);
  });
});
