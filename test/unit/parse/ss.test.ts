import { describe, expect, it } from 'vitest';
import { parseSs } from '@/collector/parse/ss';
import { socketSchema } from '@/lib/schemas/snapshot';
import { expectParseError, isListening, readFixture, socket, withOwners } from './helpers';

const read = (name: string) => readFixture('ss', name);
const python = { pid: 19003, process: 'python3' };

const linuxRows = [
  socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 36667, remoteAddress: '127.0.0.1', remotePort: 15353, state: 'ESTABLISHED', ...python }),
  socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 15353, remoteAddress: '0.0.0.0', ...python }),
  socket({ proto: 'udp', localAddress: '0.0.0.0%lo', localPort: 15355, remoteAddress: '0.0.0.0', ...python }),
  socket({ proto: 'udp6', localAddress: '::', localPort: 15354, remoteAddress: '::', ...python }),
  socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 5432, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 2185, process: 'postgres' }),
  socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 18081, remoteAddress: '0.0.0.0', state: 'LISTEN', ...python }),
  socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 6379, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 2205, process: 'redis-server' }),
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
  socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 47626, remoteAddress: '127.0.0.1', remotePort: 18080, state: 'ESTABLISHED', ...python }),
  socket({ proto: 'tcp6', localAddress: '::1', localPort: 6379, remoteAddress: '::', state: 'LISTEN', pid: 2205, process: 'redis-server' }),
  socket({ proto: 'tcp6', localAddress: '*', localPort: 18080, remoteAddress: '*', state: 'LISTEN', ...python }),
  socket({
    proto: 'tcp6',
    localAddress: '::ffff:127.0.0.1',
    localPort: 18080,
    remoteAddress: '::ffff:127.0.0.1',
    remotePort: 47626,
    state: 'ESTABLISHED',
    ...python,
  }),
];

describe('parseSs', () => {
  it('reads ss -tuanp: Netid, [::]:22, *:18080 (dual stack), 0.0.0.0%lo, [::ffff:127.0.0.1], kernel state names', () => {
    const rows = parseSs(read('linux-tuanp.txt'));
    expect(rows).toEqual(linuxRows);
    for (const row of rows) expect(socketSchema.safeParse(row).success).toBe(true);
  });

  it('reads the same without the header (-H)', () => {
    expect(parseSs(read('linux-tuanp-no-header.txt'))).toEqual(linuxRows);
  });

  it('reads ss -tulpn (listeners only)', () => {
    expect(parseSs(read('linux-tulpn.txt'))).toEqual(linuxRows.filter(isListening));
  });

  it('reads ss -tlpn, whose only protocol has no Netid column: LISTEN tells TCP', () => {
    expect(parseSs(read('linux-tlpn-no-netid.txt'))).toEqual(linuxRows.filter((row) => row.state === 'LISTEN'));
  });

  it('reads ss -e: uid (left out for root), inode, and no owner for ino:0', () => {
    // [uid, inode] of each row of linuxRows, in order; the TIME-WAIT socket has none.
    const owners: ([number, number] | null)[] = [
      [0, 49353],
      [0, 48247],
      [0, 48249],
      [0, 48248],
      [101, 4441],
      [0, 48246],
      [0, 5496],
      null,
      [106, 6937],
      [0, 49351],
      [0, 5497],
      [0, 48245],
      [0, 49352],
    ];
    expect(parseSs(read('linux-tuanpe.txt'))).toEqual(withOwners(linuxRows, owners));
  });

  it('reads Ubuntu ss -tulpn: the first of several users owns the socket, interface-bound addresses keep %dev', () => {
    expect(parseSs(read('ubuntu-tulpn.txt'))).toEqual([
      socket({ proto: 'udp', localAddress: '127.0.0.53%lo', localPort: 53, remoteAddress: '0.0.0.0', pid: 601, process: 'systemd-resolve' }),
      socket({ proto: 'udp', localAddress: '10.0.0.5%eth0', localPort: 68, remoteAddress: '0.0.0.0', pid: 599, process: 'systemd-network' }),
      socket({ proto: 'udp6', localAddress: '*', localPort: 5353, remoteAddress: '*', pid: 640, process: 'avahi-daemon' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.53%lo', localPort: 53, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 601, process: 'systemd-resolve' }),
      socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 671, process: 'sshd' }),
      socket({ proto: 'tcp6', localAddress: '::', localPort: 22, remoteAddress: '::', state: 'LISTEN', pid: 671, process: 'sshd' }),
      socket({ proto: 'tcp6', localAddress: '*', localPort: 80, remoteAddress: '*', state: 'LISTEN', pid: 931, process: 'apache2' }),
      socket({ proto: 'tcp6', localAddress: '::ffff:127.0.0.1', localPort: 8080, remoteAddress: '*', state: 'LISTEN', pid: 1422, process: 'java' }),
    ]);
  });

  it('reads old ss (iproute2 3.x), where *:22 is IPv4 and IPv6 is unbracketed', () => {
    expect(parseSs(read('centos7-tuanp.txt'))).toEqual([
      socket({ proto: 'udp', localAddress: '*', localPort: 68, remoteAddress: '*', pid: 712, process: 'dhclient' }),
      socket({ proto: 'udp', localAddress: '127.0.0.1', localPort: 323, remoteAddress: '*', pid: 688, process: 'chronyd' }),
      socket({ proto: 'udp6', localAddress: '::1', localPort: 323, remoteAddress: '::', pid: 688, process: 'chronyd' }),
      socket({ proto: 'tcp', localAddress: '*', localPort: 22, remoteAddress: '*', state: 'LISTEN', pid: 1043, process: 'sshd' }),
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 25, remoteAddress: '*', state: 'LISTEN', pid: 1321, process: 'master' }),
      socket({
        proto: 'tcp',
        localAddress: '10.0.2.15',
        localPort: 22,
        remoteAddress: '10.0.2.2',
        remotePort: 51514,
        state: 'ESTABLISHED',
        pid: 2210,
        process: 'sshd',
      }),
      socket({ proto: 'tcp6', localAddress: '::', localPort: 22, remoteAddress: '::', state: 'LISTEN', pid: 1043, process: 'sshd' }),
      socket({ proto: 'tcp6', localAddress: '::1', localPort: 25, remoteAddress: '::', state: 'LISTEN', pid: 1321, process: 'master' }),
    ]);
  });

  it('reads the oldest users format, skips UNIX, netlink and packet sockets, and reads nothing from empty input', () => {
    const text = [
      'u_str ESTAB 0 0 /run/systemd/journal/stdout 17623 * 17622 users:(("systemd",pid=1,fd=25))',
      'nl    UNCONN 0 0 rtnl:systemd/1 *',
      'p_raw UNCONN 0 0 *:eth0 *',
      'tcp   LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",1043,3))',
    ].join('\n');
    expect(parseSs(text)).toEqual([
      socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: 22, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 1043, process: 'sshd' }),
    ]);
    expect(parseSs('')).toEqual([]);
  });

  it('refuses malformed lines at their line number', () => {
    expectParseError(() => parseSs(read('malformed-no-netid-estab.txt')), 3, 'cannot tell TCP from UDP without the Netid column (run ss with both -t and -u)');
    expectParseError(() => parseSs(read('malformed-columns.txt')), 3, 'expected "[NETID] STATE RECV-Q SEND-Q LOCAL:PORT PEER:PORT", got 5 columns');
    expectParseError(() => parseSs(read('malformed-port.txt')), 2, 'port 99999 out of range');
    expectParseError(() => parseSs('tcp LISTEN 0 128 *:s$h *:*\n'), 1, 'port "s$h" is neither a number nor a service name');
    expectParseError(() => parseSs('sctp4 LISTEN 0 128 *:22 *:*\n'), 1, 'expected a Netid (tcp, udp) or a state, got "sctp4"');
    expectParseError(() => parseSs('tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(sshd)\n'), 1, /^expected users:\(\("NAME",pid=PID,fd=FD\)\)/);
  });

  it('reads ss without -n: service names become ports, and with -r host names are kept as names', () => {
    const named = parseSs(read('debian12-tulp-names.txt'));
    const numeric = parseSs(read('debian12-tulpn.txt'));
    expect(named).toEqual(numeric);
    expect(numeric.find((row) => row.localPort === 8080)).toEqual(
      socket({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 8080, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 9944, process: 'python3' }),
    );
    const hostNames = parseSs(read('debian12-tuar-host-names.txt'));
    expect(hostNames[1]).toEqual({
      ...socket({ proto: 'udp', localAddress: 'localhost', localPort: 50039, remoteAddress: 'localhost', remotePort: 5353, state: 'ESTABLISHED' }),
      localAddressKind: 'name',
      remoteAddressKind: 'name',
    });
    expect(hostNames.map((row) => [row.proto, row.localPort])).toEqual(parseSs(read('debian12-tua-names.txt')).map((row) => [row.proto, row.localPort]));
  });

  it('reads a raw socket whose port ss prints as a protocol name', () => {
    expect(parseSs('icmp6 UNCONN 0 0 *:ipv6-icmp *:*\nraw UNCONN 0 0 0.0.0.0:icmp 0.0.0.0:*\n')).toEqual([
      socket({ proto: 'raw6', localAddress: '*', localPort: 58, remoteAddress: '*' }),
      socket({ proto: 'raw', localAddress: '0.0.0.0', localPort: 1, remoteAddress: '0.0.0.0' }),
    ]);
  });

  it('reads ss -a: passes over netlink and UNIX sockets and its own RTNETLINK complaint', () => {
    const rows = parseSs(read('debian12-a-names.txt'));
    expect(rows).toEqual(parseSs(read('debian12-tua-names.txt')));
    expect(rows).toHaveLength(26);
    expect(rows[0]).toEqual(socket({ proto: 'udp', localAddress: '0.0.0.0', localPort: 15355, remoteAddress: '0.0.0.0' }));
  });

  it('refuses input with no internet socket, and ss -s, saying what they are', () => {
    expectParseError(
      () => parseSs('Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\nnl UNCONN 0 0 rtnl:kernel *\n'),
      1,
      /^no internet sockets in this ss output/,
    );
    expectParseError(() => parseSs(read('refused-debian12-s.txt')), 1, 'a socket summary (ss -s), not a socket table');
  });
});
