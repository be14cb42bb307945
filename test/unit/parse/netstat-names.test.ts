import { describe, expect, it } from 'vitest';
import { parseToolOutput } from '@/collector/parse/index';
import { parseNetstat } from '@/collector/parse/netstat';
import type { SocketRow } from '@/lib/schemas/snapshot';
import { expectParseError, readFixture, socket } from './helpers';

const read = (name: string) => readFixture('netstat', name);

/** The numeric form of what name-resolved output shows: `localhost` is 127.0.0.1 (or ::1) on the captured machine. */
function numericAddress(row: SocketRow, address: string | null): string | null {
  if (address !== 'localhost') return address;
  return row.proto.endsWith('6') ? '::1' : '127.0.0.1';
}

describe('parseNetstat with names (netstat without -n)', () => {
  it('reads the same sockets, on the same ports, from the name-resolved and the numeric capture', () => {
    const named = parseNetstat(read('debian12-tulp-names.txt'));
    const numeric = parseNetstat(read('debian12-tulpn.txt'));
    expect(named).toHaveLength(numeric.length);
    const asNumbers = named.map(({ localAddressKind, remoteAddressKind, ...row }) => ({
      ...row,
      localAddress: numericAddress(row, row.localAddress),
      remoteAddress: numericAddress(row, row.remoteAddress),
    }));
    expect(asNumbers).toEqual(numeric);
  });

  it('keeps a host name as printed, marked as a name, and turns service names into ports', () => {
    const rows = parseNetstat(read('debian12-tulp-names.txt'));
    expect(rows[0]).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 3306, remoteAddress: '0.0.0.0', state: 'LISTEN', pid: 3790, process: 'mariadbd' }),
      localAddressKind: 'name',
    });
    const byPort = new Map(rows.map((row) => [`${row.proto} ${row.localPort}`, row]));
    // [::] is how net-tools writes the unspecified IPv6 address when it resolves names: an address, not a name.
    expect(byPort.get('tcp6 18080')).toEqual(
      socket({ proto: 'tcp6', localAddress: '::', localPort: 18080, remoteAddress: '::', state: 'LISTEN', pid: 9944, process: 'python3' }),
    );
    expect(byPort.get('tcp6 631')).toMatchObject({ localAddress: '::1', localPort: 631, state: 'LISTEN' });
    expect(byPort.get('udp 5353')).toMatchObject({ localAddress: 'localhost', localAddressKind: 'name', localPort: 5353, state: null });
    expect(byPort.get('udp6 123')).toMatchObject({ localAddress: '::1', localPort: 123 });
  });

  it('reads connections with names on both ends (netstat -tu, plain netstat) and skips the UNIX section', () => {
    const connections = parseNetstat(read('debian12-tu-names.txt'));
    expect(connections[0]).toEqual({
      ...socket({ proto: 'tcp', localAddress: 'localhost', localPort: 59246, remoteAddress: 'localhost', remotePort: 8080, state: 'ESTABLISHED' }),
      localAddressKind: 'name',
      remoteAddressKind: 'name',
    });
    expect(connections[1]).toEqual(
      socket({ proto: 'tcp', localAddress: '192.0.2.2', localPort: 32798, remoteAddress: '203.0.113.80', remotePort: 80, state: 'TIME_WAIT' }),
    );
    expect(parseNetstat(read('debian12-plain-names.txt'))).toEqual(connections);
    const all = parseNetstat(read('debian12-a-names.txt'));
    expect(all.filter((row) => row.state !== 'LISTEN' && row.proto.startsWith('tcp'))).toHaveLength(7);
    expect(all).toHaveLength(26);
  });

  it('reads raw sockets whose "port" is a protocol name, and names that are not addresses (_localdnsstub)', () => {
    const rows = parseNetstat(read('linux-l-raw-names.txt'));
    expect(rows.at(-1)).toEqual(socket({ proto: 'raw6', localAddress: '::', localPort: 58, remoteAddress: '::' }));
    expect(rows[0]).toMatchObject({ localAddress: '_localdnsstub', localAddressKind: 'name', localPort: 53, state: 'LISTEN' });
    expect(rows.find((row) => row.localPort === 68)).toMatchObject({ proto: 'udp', localAddress: '0.0.0.0' });
    expect(rows.find((row) => row.localAddress === 'ip6-localhost')).toMatchObject({ proto: 'tcp6', localPort: 631, localAddressKind: 'name' });
  });

  it('marks an address netstat cut to fit 23 characters as truncated, and nothing in wide (-W) output', () => {
    expect(parseNetstat(read('linux-t-truncated-names.txt'))).toEqual([
      {
        ...socket({
          proto: 'tcp',
          localAddress: 'web01.example.inter',
          localPort: 22,
          remoteAddress: 'ec2-203-0-113-25.',
          remotePort: 51514,
          state: 'ESTABLISHED',
        }),
        localAddressKind: 'truncated',
        remoteAddressKind: 'truncated',
      },
      {
        ...socket({
          proto: 'tcp',
          localAddress: 'web01.example.int',
          localPort: 47220,
          remoteAddress: 'lb-198-51-100-7.e',
          remotePort: 443,
          state: 'ESTABLISHED',
        }),
        localAddressKind: 'truncated',
        remoteAddressKind: 'truncated',
      },
      {
        ...socket({ proto: 'tcp', localAddress: 'web01.example.int', localPort: 47224, remoteAddress: '192.0.2.80', remotePort: 80, state: 'TIME_WAIT' }),
        localAddressKind: 'truncated',
      },
      // A cut IPv6 address can still look like one: only its length tells.
      {
        ...socket({
          proto: 'tcp6',
          localAddress: '2001:db8:0:1:5054:f',
          localPort: 22,
          remoteAddress: '2001:db8:0:2::1b',
          remotePort: 60422,
          state: 'ESTABLISHED',
        }),
        localAddressKind: 'truncated',
      },
    ]);
    const wide = parseNetstat(read('debian12-tuaW-names.txt'));
    expect(wide.some((row) => row.localAddressKind === 'truncated' || row.remoteAddressKind === 'truncated')).toBe(false);
  });

  it('keeps a service name the bundled table does not know, with no port', () => {
    expect(parseNetstat('tcp 0 0 0.0.0.0:wibble-svc 0.0.0.0:* LISTEN\n')).toEqual([
      { ...socket({ proto: 'tcp', localAddress: '0.0.0.0', localPort: null, remoteAddress: '0.0.0.0', state: 'LISTEN' }), localService: 'wibble-svc' },
    ]);
  });

  it('refuses tables that are not socket tables, saying what they are', () => {
    const routing = 'a routing table (netstat -r, route), not a socket table';
    expectParseError(() => parseNetstat(read('refused-debian12-r.txt')), 1, routing);
    expectParseError(() => parseNetstat(read('refused-debian12-rn.txt')), 1, routing);
    expectParseError(() => parseNetstat(read('refused-debian12-route.txt')), 1, routing);
    expectParseError(() => parseNetstat(read('refused-debian12-ip-route.txt')), 1, 'a routing table (ip route), not a socket table');
    expectParseError(() => parseNetstat(read('refused-debian12-ip-6-route.txt')), 1, 'a routing table (ip route), not a socket table');
    expectParseError(() => parseNetstat(read('refused-debian12-i.txt')), 1, 'an interface statistics table (netstat -i), not a socket table');
    expectParseError(() => parseNetstat(read('refused-debian12-s.txt')), 1, 'protocol statistics (netstat -s), not a socket table');
    expectParseError(() => parseNetstat(read('refused-debian12-g.txt')), 1, 'multicast group memberships (netstat -g), not a socket table');
    expectParseError(() => parseNetstat(read('refused-freebsd-rn.txt')), 1, 'a routing table (netstat -r), not a socket table');
    expectParseError(() => parseNetstat(read('refused-macos-i.txt')), 1, 'an interface statistics table (netstat -i), not a socket table');
    expectParseError(() => parseNetstat(read('refused-solaris-an.txt')), 2, /^Solaris\/illumos netstat output/);
  });

  it('never answers "no sockets" for output that holds something', () => {
    const unixOnly = 'Active UNIX domain sockets (only servers)\nProto RefCnt Flags Type State I-Node Path\nunix 2 [ ACC ] STREAM LISTENING 4956 /run/x.sock\n';
    expectParseError(() => parseNetstat(unixOnly), 1, 'UNIX domain sockets only (netstat -x), not a socket table');
    const headerOnly = 'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address Foreign Address State\n';
    expectParseError(() => parseNetstat(headerOnly), 1, /^no internet sockets in this netstat output/);
    expectParseError(() => parseToolOutput('netstat', read('refused-debian12-ps-u.txt')), 1, 'this looks like ps output, not a socket table (try --format ps)');
  });
});
