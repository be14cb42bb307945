import { describe, expect, it } from 'vitest';
import { parseIfconfig } from '@/collector/parse/ifconfig';
import { interfaceSchema } from '@/lib/schemas/snapshot';
import { expectParseError, networkInterface, readFixture, zeroCounters } from './helpers';

const read = (name: string) => readFixture('ifconfig', name);

describe('parseIfconfig', () => {
  it('reads the old net-tools seed: PROMISC on eth0, Mask as a prefix length, MAC in lower case', () => {
    const rows = parseIfconfig(read('seed-old-net-tools.txt'));
    expect(rows).toEqual([
      networkInterface({
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'],
        promiscuous: true,
        mtu: 1500,
        mac: '00:01:02:45:45:5b',
        addresses: ['192.168.1.20/24'],
        ...zeroCounters,
      }),
      networkInterface({ name: 'lo', flags: ['UP', 'LOOPBACK', 'RUNNING'], promiscuous: false, mtu: 16436, addresses: ['127.0.0.1/8'], ...zeroCounters }),
    ]);
    for (const row of rows) expect(interfaceSchema.safeParse(row).success).toBe(true);
  });

  it('reads old net-tools IPv6 addresses, errors and drops, an alias and an interface that is down', () => {
    const flags = ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'];
    expect(parseIfconfig(read('old-net-tools-ipv6.txt'))).toEqual([
      networkInterface({
        name: 'eth0',
        flags,
        promiscuous: false,
        mtu: 1500,
        mac: '08:00:27:4e:6b:1a',
        addresses: ['10.0.2.15/24', 'fe80::a00:27ff:fe4e:6b1a/64'],
        rxErrors: 2,
        rxDropped: 5,
        txErrors: 0,
        txDropped: 0,
      }),
      networkInterface({ name: 'eth0:1', flags, promiscuous: false, mtu: 1500, mac: '08:00:27:4e:6b:1a', addresses: ['10.0.2.100/24'] }),
      networkInterface({ name: 'eth1', flags: ['BROADCAST', 'MULTICAST'], promiscuous: false, mtu: 1500, mac: '08:00:27:9c:2d:41', ...zeroCounters }),
      networkInterface({
        name: 'lo',
        flags: ['UP', 'LOOPBACK', 'RUNNING'],
        promiscuous: false,
        mtu: 65536,
        addresses: ['127.0.0.1/8', '::1/128'],
        ...zeroCounters,
      }),
    ]);
  });

  it('reads new net-tools (2.10) output captured on Linux', () => {
    expect(parseIfconfig(read('linux-net-tools-2.10.txt'))).toEqual([
      networkInterface({
        name: 'eth0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
        promiscuous: false,
        mtu: 1400,
        mac: '02:fc:00:00:00:01',
        addresses: ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64'],
        ...zeroCounters,
      }),
      networkInterface({ name: 'ifb0', flags: ['BROADCAST', 'NOARP'], promiscuous: false, mtu: 1500, mac: '72:65:35:04:4a:d6', ...zeroCounters }),
      networkInterface({ name: 'ifb1', flags: ['BROADCAST', 'NOARP'], promiscuous: false, mtu: 1500, mac: 'a2:52:33:93:c2:81', ...zeroCounters }),
      networkInterface({
        name: 'lo',
        flags: ['UP', 'LOOPBACK', 'RUNNING'],
        promiscuous: false,
        mtu: 65536,
        addresses: ['127.0.0.1/8', '::1/128'],
        ...zeroCounters,
      }),
    ]);
  });

  it('reads new net-tools with PROMISC, RX errors and drops, an alias and a tunnel without a MAC', () => {
    const flags = ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'];
    expect(parseIfconfig(read('linux-net-tools-promisc.txt'))).toEqual([
      networkInterface({
        name: 'eth0',
        flags,
        promiscuous: true,
        mtu: 1500,
        mac: '52:54:00:12:34:56',
        addresses: ['10.0.0.5/24', 'fe80::5054:ff:fe12:3456/64'],
        rxErrors: 3,
        rxDropped: 41,
        txErrors: 0,
        txDropped: 0,
      }),
      networkInterface({ name: 'eth0:1', flags, promiscuous: true, mtu: 1500, mac: '52:54:00:12:34:56', addresses: ['10.0.0.6/24'] }),
      networkInterface({
        name: 'tun0',
        flags: ['UP', 'POINTOPOINT', 'RUNNING', 'NOARP', 'MULTICAST'],
        promiscuous: false,
        mtu: 1500,
        addresses: ['10.8.0.1/32'],
        ...zeroCounters,
      }),
    ]);
  });

  it('reads FreeBSD ifconfig: hex netmasks, the %zone of the interface itself dropped, empty flags', () => {
    expect(parseIfconfig(read('freebsd.txt'))).toEqual([
      networkInterface({
        name: 'em0',
        flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'SIMPLEX', 'MULTICAST'],
        promiscuous: true,
        mtu: 1500,
        mac: '08:00:27:c1:d2:e3',
        addresses: ['10.0.0.1/24', 'fe80::a00:27ff:fec1:d2e3/64'],
      }),
      networkInterface({
        name: 'lo0',
        flags: ['UP', 'LOOPBACK', 'RUNNING', 'MULTICAST'],
        promiscuous: false,
        mtu: 16384,
        addresses: ['::1/128', 'fe80::1/64', '127.0.0.1/8'],
      }),
      networkInterface({ name: 'pflog0', flags: [], promiscuous: false, mtu: 33160 }),
    ]);
  });

  it('reads macOS ifconfig, point-to-point addresses included', () => {
    expect(parseIfconfig(read('macos.txt'))).toEqual([
      networkInterface({
        name: 'lo0',
        flags: ['UP', 'LOOPBACK', 'RUNNING', 'MULTICAST'],
        promiscuous: false,
        mtu: 16384,
        addresses: ['127.0.0.1/8', '::1/128', 'fe80::1/64'],
      }),
      networkInterface({
        name: 'en0',
        flags: ['UP', 'BROADCAST', 'SMART', 'RUNNING', 'SIMPLEX', 'MULTICAST'],
        promiscuous: false,
        mtu: 1500,
        mac: 'a4:83:e7:1b:2c:3d',
        addresses: ['fe80::1c8a:5b2e:9f3d:4a7b/64', '192.168.1.23/24'],
      }),
      networkInterface({
        name: 'utun0',
        flags: ['UP', 'POINTOPOINT', 'RUNNING', 'MULTICAST'],
        promiscuous: false,
        mtu: 1380,
        addresses: ['fe80::8a4d:2f1e:6b3c:9d0e/64'],
      }),
      networkInterface({ name: 'utun3', flags: ['UP', 'POINTOPOINT', 'RUNNING', 'MULTICAST'], promiscuous: false, mtu: 1400, addresses: ['10.8.0.6/32'] }),
    ]);
  });

  it('reads nothing from empty input', () => {
    expect(parseIfconfig('')).toEqual([]);
  });

  it('refuses malformed output at its line', () => {
    expectParseError(() => parseIfconfig(read('malformed-netmask.txt')), 2, 'netmask "255.0.255.0" is not contiguous');
    expectParseError(() => parseIfconfig(read('malformed-header.txt')), 3, /^expected "NAME: flags=\.\.\." or "NAME Link encap:\.\.\.", got "ifconfig: eth9/);
    expectParseError(() => parseIfconfig(read('malformed-detail-first.txt')), 1, 'expected an interface line before its details');
    expectParseError(
      () => parseIfconfig('em0: flags=8843<UP> mtu 1500\n\tinet 10.0.0.300x netmask 0xffffff00\n'),
      2,
      'expected an IP address, got "10.0.0.300x"',
    );
    expectParseError(
      () => parseIfconfig('em0: flags=8843<UP> mtu 1500\n\tether 08:00:27:zz:d2:e3\n'),
      2,
      'expected a hardware address, got "08:00:27:zz:d2:e3"',
    );
  });

  it('reads FreeBSD addresses in CIDR form (ifconfig -f inet:cidr,inet6:cidr)', () => {
    expect(parseIfconfig(read('freebsd-cidr.txt')).map((row) => [row.name, row.addresses])).toEqual([
      ['em0', ['10.10.2.101/24', 'fe80::a00:27ff:fec1:d2e3/64', '2001:db8:10::101/64']],
      ['lo0', ['127.0.0.1/8', '::1/128', 'fe80::1/64']],
    ]);
  });

  it('reads ifconfig -a captured on Linux, and refuses netstat -i saying what it is', () => {
    const rows = parseIfconfig(read('debian12-net-tools-2.10-a.txt'));
    expect(rows.map((row) => [row.name, row.mtu, row.addresses])).toEqual([
      ['eth0', 1400, ['192.0.2.2/24', 'fe80::fc:ff:fe00:1/64', 'fd00::2/64']],
      ['ifb0', 1500, []],
      ['ifb1', 1500, []],
      ['lo', 65536, ['127.0.0.1/8', '::1/128']],
    ]);
    expect(parseIfconfig(read('debian12-net-tools-2.10.txt')).map((row) => row.name)).toEqual(['eth0', 'lo']);
    expectParseError(() => parseIfconfig(read('refused-debian12-netstat-i.txt')), 1, 'an interface statistics table (netstat -i), not an interface list');
  });
});
