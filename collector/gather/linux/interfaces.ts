// Network interfaces from /sys/class/net, with addresses from /proc/net and, on the live system,
// the kernel's own address list (getifaddrs, through Node's os.networkInterfaces).
import { networkInterfaces } from 'node:os';
import type { InterfaceRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import {
  assignIpv4Addresses,
  parseConnectedRoutes,
  parseFibTrieLocalRoutes,
  parseIfInet6,
  type InterfaceAddress,
} from './interface-addresses';
import { decodeInterfaceFlags, effectiveInterfaceFlags, isPromiscuous, parseHexFlags } from './interface-flags';
import { listDirectory, readKernelText } from './read-files';

export interface InterfaceSources {
  /** The namespace's /proc net directory: `/proc/net` for our own, `/proc/PID/net` for another's. */
  netDirectory: string;
  /** A sysfs mounted in that namespace: `/sys` for our own (sysfs shows the namespace it was mounted in). */
  sysRoot: string;
  byteOrder: ByteOrder;
  /** IPv4 addresses the kernel lists per interface (getifaddrs); only for the live system, never for a copied tree. */
  systemIpv4Addresses: InterfaceAddress[];
}

function readTrimmed(path: string): string | null {
  const text = readKernelText(path);
  return text === null ? null : text.trim();
}

function readCount(path: string): number | null {
  const text = readTrimmed(path);
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * IPv4 addresses of the live system from getifaddrs(3) — a netlink dump, the same one `ip addr`
 * reads. libuv leaves out interfaces that are not both UP and RUNNING; fib_trie fills those in.
 */
export function readSystemIpv4Addresses(): InterfaceAddress[] {
  const addresses: InterfaceAddress[] = [];
  for (const [interfaceName, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && entry.cidr !== null) addresses.push({ interfaceName, cidr: entry.cidr });
    }
  }
  return addresses;
}

const addressOf = (cidr: string) => cidr.slice(0, cidr.indexOf('/'));

/** The kernel's list first; fib_trie adds only addresses that list does not already place somewhere. */
export function mergeIpv4Addresses(
  systemAddresses: readonly InterfaceAddress[],
  routeDerivedAddresses: readonly InterfaceAddress[],
): InterfaceAddress[] {
  const known = new Set(systemAddresses.map((entry) => addressOf(entry.cidr)));
  return [...systemAddresses, ...routeDerivedAddresses.filter((entry) => !known.has(addressOf(entry.cidr)))];
}

interface DeviceAttributes {
  name: string;
  ifindex: number;
  flagBits: number;
  mtu: number | null;
  mac: string | null;
  rxErrors: number | null;
  txErrors: number | null;
  rxDropped: number | null;
  txDropped: number | null;
}

/** null when the entry is not a network device (bonding_masters) or vanished while we looked. */
export function readDeviceAttributes(sysRoot: string, name: string): DeviceAttributes | null {
  const directory = `${sysRoot}/class/net/${name}`;
  const ifindex = readCount(`${directory}/ifindex`);
  const rawFlags = parseHexFlags(readKernelText(`${directory}/flags`) ?? '');
  if (ifindex === null || rawFlags === null) return null;
  const carrier = readTrimmed(`${directory}/carrier`);
  const mac = readTrimmed(`${directory}/address`);
  return {
    name,
    ifindex,
    flagBits: effectiveInterfaceFlags(rawFlags, readTrimmed(`${directory}/operstate`), carrier === null ? null : carrier === '1'),
    mtu: readCount(`${directory}/mtu`),
    mac: mac === null || mac === '' ? null : mac,
    rxErrors: readCount(`${directory}/statistics/rx_errors`),
    txErrors: readCount(`${directory}/statistics/tx_errors`),
    rxDropped: readCount(`${directory}/statistics/rx_dropped`),
    txDropped: readCount(`${directory}/statistics/tx_dropped`),
  };
}

const IFF_LOOPBACK = 0x8;
/** The schema's limit per interface; a host with more still sends a valid snapshot. */
const MAX_ADDRESSES_PER_INTERFACE = 1024;

function groupByInterface(addresses: readonly InterfaceAddress[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { interfaceName, cidr } of addresses) {
    const list = grouped.get(interfaceName);
    if (list === undefined) grouped.set(interfaceName, [cidr]);
    else if (!list.includes(cidr)) list.push(cidr);
  }
  return grouped;
}

/** Every interface in ifindex order (as `ip link` lists them), IPv4 addresses before IPv6. */
export function gatherInterfaces(sources: InterfaceSources): InterfaceRow[] {
  const devices = (listDirectory(`${sources.sysRoot}/class/net`) ?? [])
    .map((name) => readDeviceAttributes(sources.sysRoot, name))
    .filter((device): device is DeviceAttributes => device !== null)
    .sort((left, right) => left.ifindex - right.ifindex);

  const loopback = devices.find((device) => (device.flagBits & IFF_LOOPBACK) !== 0);
  const routeDerivedIpv4 = assignIpv4Addresses(
    parseFibTrieLocalRoutes(readKernelText(`${sources.netDirectory}/fib_trie`, 'latin1') ?? ''),
    parseConnectedRoutes(readKernelText(`${sources.netDirectory}/route`, 'latin1') ?? '', sources.byteOrder),
    loopback?.name ?? null,
  );
  const ipv4 = mergeIpv4Addresses(sources.systemIpv4Addresses, routeDerivedIpv4);
  const ipv6 = parseIfInet6(readKernelText(`${sources.netDirectory}/if_inet6`, 'latin1') ?? '');
  const addressesByInterface = groupByInterface([...ipv4, ...ipv6]);

  return devices.map((device) => ({
    name: device.name,
    flags: decodeInterfaceFlags(device.flagBits),
    promiscuous: isPromiscuous(device.flagBits),
    mtu: device.mtu,
    mac: device.mac,
    addresses: (addressesByInterface.get(device.name) ?? []).slice(0, MAX_ADDRESSES_PER_INTERFACE),
    rxErrors: device.rxErrors,
    txErrors: device.txErrors,
    rxDropped: device.rxDropped,
    txDropped: device.txDropped,
  }));
}
