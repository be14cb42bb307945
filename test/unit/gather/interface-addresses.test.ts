import { describe, expect, it } from 'vitest';
import { assignIpv4Addresses, parseConnectedRoutes, parseFibTrieLocalRoutes, parseIfInet6 } from '../../../collector/gather/linux/interface-addresses';
import { mergeIpv4Addresses } from '../../../collector/gather/linux/interfaces';
import { fixtureText } from './fixture';

// addresses/*.txt come from a network namespace set up so (addresses/ip-o-addr.txt is `ip -o addr` there):
//   lo  127.0.0.1/8, 10.9.0.1/32          fxa 10.1.0.1/24, 10.1.0.2/24 (secondary), 10.3.0.1/24 noprefixroute, 10.4.0.1/24
//   fxb 10.2.0.1/16, 192.0.2.10/24, 10.4.0.2/24, 2001:db8::1/64; default via 10.2.0.254
describe('parseIfInet6', () => {
  it('reads every IPv6 address with its prefix and interface', () => {
    expect(parseIfInet6(fixtureText('addresses/if_inet6.txt'))).toEqual([
      { interfaceName: 'fxa', cidr: 'fe80::cc39:50ff:fe57:2468/64' },
      { interfaceName: 'fxb', cidr: 'fe80::b0ed:9eff:fe2b:1315/64' },
      { interfaceName: 'fxb', cidr: '2001:db8::1/64' },
      { interfaceName: 'lo', cidr: '::1/128' },
    ]);
  });

  it('skips malformed lines', () => {
    expect(parseIfInet6('zz 01 80 10 80 lo\n00000000000000000000000000000001 01\n')).toEqual([]);
  });
});

describe('parseFibTrieLocalRoutes', () => {
  it('lists each local host address once, although main and local tables both show it', () => {
    const routes = parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie.txt'));
    expect(routes.hostAddresses).toEqual(['10.1.0.1', '10.1.0.2', '10.2.0.1', '10.3.0.1', '10.4.0.1', '10.4.0.2', '10.9.0.1', '127.0.0.1', '192.0.2.10']);
  });

  it('recognises the loopback prefix routed locally as a whole', () => {
    const routes = parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie.txt'));
    expect(routes.loopbackPrefixes).toEqual([{ network: 0x7f000000, prefixLength: 8 }]);
  });

  it('ignores broadcast and unicast routes', () => {
    const routes = parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie.txt'));
    expect(routes.hostAddresses).not.toContain('10.1.0.255');
    expect(routes.hostAddresses).not.toContain('10.1.0.0');
  });
});

describe('parseConnectedRoutes', () => {
  it('keeps directly connected prefixes and drops routes through a gateway', () => {
    expect(parseConnectedRoutes(fixtureText('addresses/route.txt'), 'LE')).toEqual([
      { interfaceName: 'fxa', network: 0x0a010000, prefixLength: 24 },
      { interfaceName: 'fxb', network: 0x0a020000, prefixLength: 16 },
      { interfaceName: 'fxa', network: 0x0a040000, prefixLength: 24 },
      { interfaceName: 'fxb', network: 0x0a040000, prefixLength: 24 },
      { interfaceName: 'fxb', network: 0xc0000200, prefixLength: 24 },
    ]);
  });
});

describe('assignIpv4Addresses', () => {
  it('places each address on the interface of its connected prefix, loopback ones on lo', () => {
    const assigned = assignIpv4Addresses(
      parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie.txt')),
      parseConnectedRoutes(fixtureText('addresses/route.txt'), 'LE'),
      'lo',
    );
    expect(assigned).toEqual([
      { interfaceName: 'fxa', cidr: '10.1.0.1/24' },
      { interfaceName: 'fxa', cidr: '10.1.0.2/24' },
      { interfaceName: 'fxb', cidr: '10.2.0.1/16' },
      { interfaceName: 'lo', cidr: '127.0.0.1/8' },
      { interfaceName: 'fxb', cidr: '192.0.2.10/24' },
    ]);
  });

  it('never guesses: addresses without a prefix route, or claimed by two interfaces, are left out', () => {
    const assigned = assignIpv4Addresses(
      parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie.txt')),
      parseConnectedRoutes(fixtureText('addresses/route.txt'), 'LE'),
      'lo',
    ).map((entry) => entry.cidr);
    for (const address of ['10.3.0.1', '10.4.0.1', '10.4.0.2', '10.9.0.1']) {
      expect(assigned.some((cidr) => cidr.startsWith(`${address}/`))).toBe(false);
    }
  });

  it('handles the usual single-interface host', () => {
    const assigned = assignIpv4Addresses(
      parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie-single-interface.txt')),
      parseConnectedRoutes(fixtureText('addresses/route-single-interface.txt'), 'LE'),
      'lo',
    );
    expect(assigned).toEqual([
      { interfaceName: 'lo', cidr: '127.0.0.1/8' },
      { interfaceName: 'eth0', cidr: '192.0.2.2/24' },
    ]);
  });

  it('drops loopback addresses when there is no loopback device to hold them', () => {
    const assigned = assignIpv4Addresses(
      parseFibTrieLocalRoutes(fixtureText('addresses/fib_trie-single-interface.txt')),
      parseConnectedRoutes(fixtureText('addresses/route-single-interface.txt'), 'LE'),
      null,
    );
    expect(assigned).toEqual([{ interfaceName: 'eth0', cidr: '192.0.2.2/24' }]);
  });
});

describe('mergeIpv4Addresses', () => {
  it("trusts the kernel's address list and adds only what it lacks", () => {
    const merged = mergeIpv4Addresses(
      [
        { interfaceName: 'lo', cidr: '10.9.0.1/32' },
        { interfaceName: 'fxa', cidr: '10.4.0.1/24' },
      ],
      [
        { interfaceName: 'fxb', cidr: '10.9.0.1/16' },
        { interfaceName: 'fxb', cidr: '10.2.0.1/16' },
      ],
    );
    expect(merged).toEqual([
      { interfaceName: 'lo', cidr: '10.9.0.1/32' },
      { interfaceName: 'fxa', cidr: '10.4.0.1/24' },
      { interfaceName: 'fxb', cidr: '10.2.0.1/16' },
    ]);
  });
});
