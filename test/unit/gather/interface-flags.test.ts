import { describe, expect, it } from 'vitest';
import {
  decodeInterfaceFlags,
  effectiveInterfaceFlags,
  INTERFACE_FLAG_BITS,
  isPromiscuous,
  parseHexFlags,
} from '../../../collector/gather/linux/interface-flags';

describe('parseHexFlags', () => {
  it('reads the sysfs hex word', () => {
    expect(parseHexFlags('0x1003\n')).toBe(0x1003);
    expect(parseHexFlags('0x9')).toBe(0x9);
  });

  it('refuses anything else', () => {
    expect(parseHexFlags('1003')).toBeNull();
    expect(parseHexFlags('')).toBeNull();
  });
});

describe('decodeInterfaceFlags', () => {
  it('names every IFF_ bit in bit order', () => {
    expect(decodeInterfaceFlags(0xffff)).toEqual([
      'UP',
      'BROADCAST',
      'DEBUG',
      'LOOPBACK',
      'POINTOPOINT',
      'NOTRAILERS',
      'RUNNING',
      'NOARP',
      'PROMISC',
      'ALLMULTI',
      'MASTER',
      'SLAVE',
      'MULTICAST',
      'PORTSEL',
      'AUTOMEDIA',
      'DYNAMIC',
    ]);
  });

  it.each(INTERFACE_FLAG_BITS.map(([name, bit]) => [name, bit] as const))('decodes %s alone', (name, bit) => {
    expect(decodeInterfaceFlags(bit)).toEqual([name]);
  });

  it('decodes a real Ethernet device (0x1003) and a sniffing one (0x1103)', () => {
    expect(decodeInterfaceFlags(0x1003)).toEqual(['UP', 'BROADCAST', 'MULTICAST']);
    expect(decodeInterfaceFlags(0x1103)).toEqual(['UP', 'BROADCAST', 'PROMISC', 'MULTICAST']);
  });

  it('leaves unknown bits out instead of inventing names', () => {
    expect(decodeInterfaceFlags(0x80000001)).toEqual(['UP']);
  });
});

describe('isPromiscuous', () => {
  it('is bit 0x100', () => {
    expect(isPromiscuous(0x1103)).toBe(true);
    expect(isPromiscuous(0x1003)).toBe(false);
  });
});

describe('effectiveInterfaceFlags', () => {
  it('adds RUNNING and LOWER_UP for an up device with carrier, as ifconfig and ip show them', () => {
    expect(decodeInterfaceFlags(effectiveInterfaceFlags(0x1003, 'up', true))).toEqual(['UP', 'BROADCAST', 'RUNNING', 'MULTICAST', 'LOWER_UP']);
  });

  it('counts loopback (operstate unknown) as running', () => {
    expect(decodeInterfaceFlags(effectiveInterfaceFlags(0x9, 'unknown', true))).toEqual(['UP', 'LOOPBACK', 'RUNNING', 'LOWER_UP']);
  });

  it('adds nothing to a device that is down, whatever else it says', () => {
    expect(effectiveInterfaceFlags(0x1002, 'down', null)).toBe(0x1002);
  });

  it('is not RUNNING without carrier', () => {
    expect(decodeInterfaceFlags(effectiveInterfaceFlags(0x1003, 'lowerlayerdown', false))).toEqual(['UP', 'BROADCAST', 'MULTICAST']);
  });

  it('marks a dormant device', () => {
    expect(decodeInterfaceFlags(effectiveInterfaceFlags(0x1003, 'dormant', true))).toContain('DORMANT');
  });
});
