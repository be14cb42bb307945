import { describe, expect, it } from 'vitest';
import { parseIpLink } from '@/collector/parse/ip-link';
import { interfaceSchema } from '@/lib/schemas/snapshot';
import { expectParseError, networkInterface, readFixture, zeroCounters } from './helpers';

const read = (name: string) => readFixture('ip-link', name);

const lo = networkInterface({ name: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], promiscuous: false, mtu: 65536, mac: '00:00:00:00:00:00' });
const ifb0 = networkInterface({ name: 'ifb0', flags: ['BROADCAST', 'NOARP'], promiscuous: false, mtu: 1500, mac: '72:65:35:04:4a:d6' });
const ifb1 = networkInterface({ name: 'ifb1', flags: ['BROADCAST', 'NOARP'], promiscuous: false, mtu: 1500, mac: 'a2:52:33:93:c2:81' });
const eth0 = networkInterface({ name: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], promiscuous: false, mtu: 1400, mac: '02:fc:00:00:00:01' });

describe('parseIpLink', () => {
  it('reads ip link and ip -d link captured on Linux', () => {
    const rows = parseIpLink(read('ip-link.txt'));
    expect(rows).toEqual([lo, ifb0, ifb1, eth0]);
    for (const row of rows) expect(interfaceSchema.safeParse(row).success).toBe(true);
    expect(parseIpLink(read('ip-d-link.txt'))).toEqual([lo, ifb0, ifb1, eth0]);
  });

  it('reads the addresses of ip addr', () => {
    expect(parseIpLink(read('ip-addr.txt'))).toEqual([
      { ...lo, addresses: ['127.0.0.1/8', '::1/128'] },
      ifb0,
      ifb1,
      { ...eth0, addresses: ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64'] },
    ]);
  });

  it('reads the error and drop counters of ip -s link', () => {
    expect(parseIpLink(read('ip-s-link.txt'))).toEqual([lo, ifb0, ifb1, eth0].map((row) => ({ ...row, ...zeroCounters })));
  });

  it('calls an interface promiscuous for the PROMISC flag or a promiscuity count (tcpdump), and drops @ifN', () => {
    expect(parseIpLink(read('ip-d-link-promiscuity.txt'))).toEqual([
      lo,
      networkInterface({ name: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], promiscuous: true, mtu: 1500, mac: '0a:58:0a:f4:00:0b' }),
      networkInterface({ name: 'br0', flags: ['BROADCAST', 'MULTICAST', 'PROMISC', 'UP', 'LOWER_UP'], promiscuous: true, mtu: 1500, mac: '52:54:00:ab:cd:ef' }),
      networkInterface({ name: 'wg0', flags: ['POINTOPOINT', 'NOARP', 'UP', 'LOWER_UP'], promiscuous: false, mtu: 1420 }),
    ]);
  });

  it("keeps a point-to-point address without the peer's prefix, and reads nothing from empty input", () => {
    const text =
      '5: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UNKNOWN group default qlen 500\n    link/none \n    inet 10.8.0.1 peer 10.8.0.2/32 scope global tun0\n';
    expect(parseIpLink(text)).toEqual([
      networkInterface({
        name: 'tun0',
        flags: ['POINTOPOINT', 'MULTICAST', 'NOARP', 'UP', 'LOWER_UP'],
        promiscuous: false,
        mtu: 1500,
        addresses: ['10.8.0.1'],
      }),
    ]);
    expect(parseIpLink('')).toEqual([]);
  });

  it('refuses malformed output at its line', () => {
    expectParseError(() => parseIpLink(read('malformed-header.txt')), 3, 'expected "INDEX: NAME: <FLAGS> mtu ...", got "Device \\"eth9\\" does not exist."');
    expectParseError(() => parseIpLink(read('malformed-mtu.txt')), 3, 'mtu "big" is not a number');
    expectParseError(() => parseIpLink(read('malformed-address.txt')), 3, 'prefix length "33" out of range');
    expectParseError(
      () => parseIpLink('    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n'),
      1,
      'expected an interface line such as "2: eth0: <...>" before its details',
    );
  });

  it('reads ip addr and ip link captured on Linux', () => {
    expect(parseIpLink(read('debian12-ip-addr.txt')).map((row) => [row.name, row.addresses])).toEqual([
      ['lo', ['127.0.0.1/8', '::1/128']],
      ['ifb0', []],
      ['ifb1', []],
      ['eth0', ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64']],
    ]);
    expect(parseIpLink(read('debian12-ip-link.txt')).map((row) => row.name)).toEqual(['lo', 'ifb0', 'ifb1', 'eth0']);
  });
});
