import { describe, expect, it } from 'vitest';
import {
  decodeHexIpv4,
  decodeHexIpv4Number,
  decodeHexIpv6,
  decodeNetworkOrderHexIpv6,
  formatIpv6,
  ipv4ToNumber,
  prefixLengthOfMask,
} from '../../../collector/gather/linux/addresses';

function bytesOf(groups: number[]): number[] {
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

describe('decodeHexIpv4', () => {
  it('reads the host-order word of a little-endian host', () => {
    expect(decodeHexIpv4('0100007F', 'LE')).toBe('127.0.0.1');
    expect(decodeHexIpv4('020200C0', 'LE')).toBe('192.0.2.2');
    expect(decodeHexIpv4('00000000', 'LE')).toBe('0.0.0.0');
  });

  it('reads the same address from a big-endian host', () => {
    expect(decodeHexIpv4('7F000001', 'BE')).toBe('127.0.0.1');
  });

  it('refuses anything but eight hex digits', () => {
    expect(decodeHexIpv4('0100007G', 'LE')).toBeNull();
    expect(decodeHexIpv4('100007F', 'LE')).toBeNull();
  });
});

describe('decodeHexIpv6', () => {
  it('reverses the bytes of each 32-bit word on a little-endian host', () => {
    expect(decodeHexIpv6('00000000000000000000000001000000', 'LE')).toBe('::1');
    expect(decodeHexIpv6('00000000000000000000000000000000', 'LE')).toBe('::');
    expect(decodeHexIpv6('B80D0120000000000000000001000000', 'LE')).toBe('2001:db8::1');
  });

  it('prints IPv4-mapped addresses with a dotted tail, as ss does', () => {
    expect(decodeHexIpv6('0000000000000000FFFF00000100007F', 'LE')).toBe('::ffff:127.0.0.1');
  });

  it('reads big-endian words as they are', () => {
    expect(decodeHexIpv6('20010DB8000000000000000000000001', 'BE')).toBe('2001:db8::1');
  });

  it('refuses a wrong length or non-hex digits', () => {
    expect(decodeHexIpv6('0000000000000000000000000100000', 'LE')).toBeNull();
    expect(decodeHexIpv6('0000000000000000000000000100000Z', 'LE')).toBeNull();
  });
});

describe('decodeNetworkOrderHexIpv6 (if_inet6)', () => {
  it('reads network-order hex', () => {
    expect(decodeNetworkOrderHexIpv6('fe80000000000000cc3950fffe572468')).toBe('fe80::cc39:50ff:fe57:2468');
    expect(decodeNetworkOrderHexIpv6('00000000000000000000000000000001')).toBe('::1');
  });
});

describe('formatIpv6 matches glibc inet_ntop', () => {
  // Expected texts produced by Python's socket.inet_ntop, which calls glibc.
  const cases: Array<[number[], string]> = [
    [[0, 0, 0, 0, 0, 0, 0, 2], '::2'],
    [[0, 0, 0, 0, 0, 0, 0x7f00, 1], '::127.0.0.1'],
    [[0, 0, 0, 0, 0, 0xffff, 0, 0], '::ffff:0.0.0.0'],
    [[0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], '::ffff:127.0.0.1'],
    [[1, 0, 0, 1, 0, 0, 0, 1], '1:0:0:1::1'],
    [[1, 0, 0, 2, 0, 0, 3, 4], '1::2:0:0:3:4'],
    [[0, 0, 1, 0, 0, 0, 0, 0], '0:0:1::'],
    [[0, 0, 0, 0, 1, 0, 0, 0], '::1:0:0:0'],
    [[0xfe80, 0, 0, 0, 0, 0, 0, 1], 'fe80::1'],
    [[0x2001, 0xdb8, 1, 2, 3, 4, 5, 6], '2001:db8:1:2:3:4:5:6'],
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
  ];
  it.each(cases)('%j → %s', (groups, text) => {
    expect(formatIpv6(bytesOf(groups))).toBe(text);
  });
});

describe('IPv4 numbers and masks', () => {
  it('converts dotted quads', () => {
    expect(ipv4ToNumber('192.0.2.7')).toBe(0xc0000207);
    expect(ipv4ToNumber('256.0.0.1')).toBeNull();
    expect(ipv4ToNumber('1.2.3')).toBeNull();
  });

  it('reads /proc/net/route words', () => {
    expect(decodeHexIpv4Number('000200C0', 'LE')).toBe(0xc0000200);
    expect(decodeHexIpv4Number('00FFFFFF', 'LE')).toBe(0xffffff00);
  });

  it('counts the prefix of a contiguous mask and refuses a mask with holes', () => {
    expect(prefixLengthOfMask(0xffffff00)).toBe(24);
    expect(prefixLengthOfMask(0xffffffff)).toBe(32);
    expect(prefixLengthOfMask(0)).toBe(0);
    expect(prefixLengthOfMask(0xff00ff00)).toBeNull();
  });
});
