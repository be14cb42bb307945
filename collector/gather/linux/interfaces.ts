// Network interfaces from /sys/class/net, with addresses from /proc/net and, on the live system,
// the kernel's own address list (getifaddrs, through Node's os.networkInterfaces).
import { networkInterfaces } from 'node:os';
import type { InterfaceRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import { assignIpv4Addresses, parseConnectedRoutes, parseFibTrieLocalRoutes, parseIfInet6, type InterfaceAddress } from './interface-addresses';
import { decodeInterfaceFlags, effectiveInterfaceFlags, isPromiscuous, parseHexFlags } from './interface-flags';
import { listDirectory, readKernelText, readUntrustedAttribute } from './read-files';

export interface InterfaceSources {
  /** The namespace's /proc net directory: `/proc/net` for our own, `/proc/PID/net` for another's. */
  netDirectory: string;
  /** A sysfs mounted in that namespace: `/sys` for our own (sysfs shows the namespace it was mounted in). */
  sysRoot: string;
  byteOrder: ByteOrder;
  /** IPv4 addresses the kernel lists per interface (getifaddrs); only for the live system, never for a copied tree. */
  systemIpv4Addresses: InterfaceAddress[];
  /** Set when the sysfs is another namespace's, seen through a container's root: see readForeignDevice. */
  foreignSysfs?: ForeignSysfs;
}

/** How a sysfs seen through a container's root is checked: its owner may have mounted anything over it. */
export interface ForeignSysfs {
  /** statfs says sysfs (isOnSysfs); a copied tree in tests stands in for one. */
  isSysfs: (path: string) => boolean;
  /** The process's root is on a local file system and its /sys is a sysfs, by its mount table: walking in cannot hang. */
  isRootWalkable: (pid: number) => boolean;
}

type ReadAttribute = (path: string) => string | null;

function readTrimmed(readAttribute: ReadAttribute, path: string): string | null {
  const text = readAttribute(path);
  return text === null ? null : text.trim();
}

function readCount(readAttribute: ReadAttribute, path: string): number | null {
  const text = readTrimmed(readAttribute, path);
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

/** Link-layer addresses as sysfs prints them: hex byte pairs joined by colons (InfiniBand's take 20 bytes). */
const LINK_ADDRESS = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){0,20}$/;

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
export function mergeIpv4Addresses(systemAddresses: readonly InterfaceAddress[], routeDerivedAddresses: readonly InterfaceAddress[]): InterfaceAddress[] {
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
export function readDeviceAttributes(sysRoot: string, name: string, readAttribute: ReadAttribute = readKernelText): DeviceAttributes | null {
  const directory = `${sysRoot}/class/net/${name}`;
  const ifindex = readCount(readAttribute, `${directory}/ifindex`);
  const rawFlags = parseHexFlags(readAttribute(`${directory}/flags`) ?? '');
  if (ifindex === null || rawFlags === null) return null;
  const carrier = readTrimmed(readAttribute, `${directory}/carrier`);
  const mac = readTrimmed(readAttribute, `${directory}/address`);
  return {
    name,
    ifindex,
    flagBits: effectiveInterfaceFlags(rawFlags, readTrimmed(readAttribute, `${directory}/operstate`), carrier === null ? null : carrier === '1'),
    mtu: readCount(readAttribute, `${directory}/mtu`),
    mac: mac !== null && LINK_ADDRESS.test(mac) ? mac : null,
    rxErrors: readCount(readAttribute, `${directory}/statistics/rx_errors`),
    txErrors: readCount(readAttribute, `${directory}/statistics/tx_errors`),
    rxDropped: readCount(readAttribute, `${directory}/statistics/rx_dropped`),
    txDropped: readCount(readAttribute, `${directory}/statistics/tx_dropped`),
  };
}

/**
 * A device of another namespace's sysfs, seen through a container's root. A privileged container
 * can mount anything over its /sys (a tmpfs with symbolic links out to the host's files, a file of
 * its own over `flags` to hide PROMISC): the device's directory and its `flags` must be on sysfs
 * itself, and every attribute is read without following links or blocking, one page at most.
 */
function readForeignDevice(sysRoot: string, name: string, foreign: ForeignSysfs): DeviceAttributes | null {
  const directory = `${sysRoot}/class/net/${name}`;
  if (!foreign.isSysfs(directory) || !foreign.isSysfs(`${directory}/flags`)) return null;
  return readDeviceAttributes(sysRoot, name, readUntrustedAttribute);
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
  const { foreignSysfs } = sources;
  const devices = (listDirectory(`${sources.sysRoot}/class/net`) ?? [])
    .map((name) => (foreignSysfs === undefined ? readDeviceAttributes(sources.sysRoot, name) : readForeignDevice(sources.sysRoot, name, foreignSysfs)))
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
