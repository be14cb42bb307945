// Interface addresses without `ip addr`: IPv6 from /proc/net/if_inet6, IPv4 from the local routes of
// /proc/net/fib_trie matched to interfaces through the connected routes of /proc/net/route.
import { decodeHexIpv4Number, decodeNetworkOrderHexIpv6, ipv4ToNumber, prefixLengthOfMask, type ByteOrder } from './addresses';

export interface InterfaceAddress {
  interfaceName: string;
  /** `address/prefix`, e.g. `192.0.2.2/24`, `fe80::1/64`. */
  cidr: string;
}

/** /proc/net/if_inet6: `address ifindex prefixlen scope flags name`, address in network-order hex. */
export function parseIfInet6(text: string): InterfaceAddress[] {
  const addresses: InterfaceAddress[] = [];
  for (const line of text.split('\n')) {
    const [hexAddress, , hexPrefix, , , interfaceName] = line.trim().split(/\s+/);
    if (hexAddress === undefined || hexPrefix === undefined || interfaceName === undefined) continue;
    const address = decodeNetworkOrderHexIpv6(hexAddress);
    if (address === null || !/^[0-9a-fA-F]{2}$/.test(hexPrefix)) continue;
    addresses.push({ interfaceName, cidr: `${address}/${Number.parseInt(hexPrefix, 16)}` });
  }
  return addresses;
}

/** Routes of type LOCAL from fib_trie: `/32` ones are this host's addresses, shorter ones loopback prefixes. */
export interface LocalRoutes {
  /** Host addresses in the order fib_trie lists them, without duplicates. */
  hostAddresses: string[];
  /** Prefixes routed locally as a whole, which only loopback devices have (127.0.0.0/8 on lo). */
  loopbackPrefixes: Array<{ network: number; prefixLength: number }>;
}

const FIB_LEAF = /^[\s|]*\|-- (\d{1,3}(?:\.\d{1,3}){3})\s*$/;
const FIB_ALIAS = /^\s*\/(\d{1,2}) (\S+) (\S+)(?:\s.*)?$/;

/**
 * /proc/net/fib_trie: each leaf `|-- ADDRESS` is followed by one line per route `/PREFIX SCOPE TYPE`.
 * The main and local tables both appear (and hold the same leaves on kernels that merge them).
 */
export function parseFibTrieLocalRoutes(text: string): LocalRoutes {
  const hostAddresses = new Set<string>();
  const loopbackPrefixes = new Map<string, { network: number; prefixLength: number }>();
  let leafAddress: string | null = null;
  for (const line of text.split('\n')) {
    const leaf = FIB_LEAF.exec(line);
    if (leaf?.[1] !== undefined) {
      leafAddress = leaf[1];
      continue;
    }
    const alias = FIB_ALIAS.exec(line);
    if (alias?.[1] === undefined || leafAddress === null) {
      if (alias === null) leafAddress = null;
      continue;
    }
    if (alias[3] !== 'LOCAL') continue;
    const prefixLength = Number(alias[1]);
    if (prefixLength === 32) {
      hostAddresses.add(leafAddress);
      continue;
    }
    const network = ipv4ToNumber(leafAddress);
    if (network !== null) loopbackPrefixes.set(`${leafAddress}/${prefixLength}`, { network, prefixLength });
  }
  return { hostAddresses: [...hostAddresses], loopbackPrefixes: [...loopbackPrefixes.values()] };
}

export interface ConnectedRoute {
  interfaceName: string;
  network: number;
  prefixLength: number;
}

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/** /proc/net/route (the main table): the directly connected prefixes (up, no gateway) and their interface. */
export function parseConnectedRoutes(text: string, byteOrder: ByteOrder): ConnectedRoute[] {
  const routes: ConnectedRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [interfaceName, hexDestination, , hexFlags, , , , hexMask] = line.trim().split(/\s+/);
    if (interfaceName === undefined || hexDestination === undefined || hexFlags === undefined || hexMask === undefined) continue;
    const destination = decodeHexIpv4Number(hexDestination, byteOrder);
    const mask = decodeHexIpv4Number(hexMask, byteOrder);
    const flags = Number.parseInt(hexFlags, 16);
    if (destination === null || mask === null || Number.isNaN(flags)) continue;
    if ((flags & RTF_UP) === 0 || (flags & RTF_GATEWAY) !== 0) continue;
    const prefixLength = prefixLengthOfMask(mask);
    // A default route through a device (0.0.0.0/0 dev ppp0) says nothing about which addresses it owns.
    if (prefixLength === null || prefixLength === 0) continue;
    routes.push({ interfaceName, network: destination, prefixLength });
  }
  return routes;
}

function isInPrefix(address: number, network: number, prefixLength: number): boolean {
  if (prefixLength === 0) return true;
  const mask = (0xffffffff << (32 - prefixLength)) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

/**
 * Each local address goes to the interface of the longest connected prefix that contains it. An
 * address that no route claims, or that two interfaces' equally long prefixes both claim, is left
 * out: we never guess which interface holds it.
 */
export function assignIpv4Addresses(
  localRoutes: LocalRoutes,
  connectedRoutes: readonly ConnectedRoute[],
  loopbackInterfaceName: string | null,
): InterfaceAddress[] {
  const assigned: InterfaceAddress[] = [];
  for (const address of localRoutes.hostAddresses) {
    const value = ipv4ToNumber(address);
    if (value === null) continue;

    const loopbackPrefix = localRoutes.loopbackPrefixes
      .filter((prefix) => isInPrefix(value, prefix.network, prefix.prefixLength))
      .sort((left, right) => right.prefixLength - left.prefixLength)[0];
    if (loopbackPrefix !== undefined) {
      if (loopbackInterfaceName !== null) {
        assigned.push({ interfaceName: loopbackInterfaceName, cidr: `${address}/${loopbackPrefix.prefixLength}` });
      }
      continue;
    }

    const candidates = connectedRoutes.filter((route) => isInPrefix(value, route.network, route.prefixLength));
    const longest = Math.max(...candidates.map((route) => route.prefixLength));
    const owners = new Set(candidates.filter((route) => route.prefixLength === longest).map((route) => route.interfaceName));
    const [owner] = owners;
    if (owners.size !== 1 || owner === undefined) continue;
    assigned.push({ interfaceName: owner, cidr: `${address}/${longest}` });
  }
  return assigned;
}
