// Interface flags (include/uapi/linux/if.h) decoded from /sys/class/net/IF/flags and operstate.

/** Every IFF_* bit in bit order, which is the order ifconfig prints them in. */
export const INTERFACE_FLAG_BITS: ReadonlyArray<readonly [name: string, bit: number]> = [
  ['UP', 0x1],
  ['BROADCAST', 0x2],
  ['DEBUG', 0x4],
  ['LOOPBACK', 0x8],
  ['POINTOPOINT', 0x10],
  ['NOTRAILERS', 0x20],
  ['RUNNING', 0x40],
  ['NOARP', 0x80],
  ['PROMISC', 0x100],
  ['ALLMULTI', 0x200],
  ['MASTER', 0x400],
  ['SLAVE', 0x800],
  ['MULTICAST', 0x1000],
  ['PORTSEL', 0x2000],
  ['AUTOMEDIA', 0x4000],
  ['DYNAMIC', 0x8000],
  ['LOWER_UP', 0x10000],
  ['DORMANT', 0x20000],
  ['ECHO', 0x40000],
];

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;
const IFF_PROMISC = 0x100;
const IFF_LOWER_UP = 0x10000;
const IFF_DORMANT = 0x20000;
const IFF_OPERATIONAL_BITS = IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT;

/** `0x1003` → 4099; null for anything else. */
export function parseHexFlags(text: string): number | null {
  const trimmed = text.trim();
  return /^0x[0-9a-fA-F]+$/.test(trimmed) ? Number.parseInt(trimmed.slice(2), 16) : null;
}

/** Names of the bits that are set; unknown bits are left out rather than invented names. */
export function decodeInterfaceFlags(flags: number): string[] {
  return INTERFACE_FLAG_BITS.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
}

export function isPromiscuous(flags: number): boolean {
  return (flags & IFF_PROMISC) !== 0;
}

/**
 * sysfs `flags` is the device's raw flag word, which never carries RUNNING, LOWER_UP or DORMANT: the
 * kernel computes those from the operational state (dev_get_flags in net/core/dev.c), and so do we.
 * Its PROMISC bit is set whenever the promiscuity count is above zero — by `ip link set promisc on`
 * and by a sniffer's packet socket alike — which is exactly what a security tool needs to see.
 */
export function effectiveInterfaceFlags(rawFlags: number, operState: string | null, hasCarrier: boolean | null): number {
  let flags = rawFlags & ~IFF_OPERATIONAL_BITS;
  if ((rawFlags & IFF_UP) === 0) return flags;
  if (operState === 'up' || operState === 'unknown') flags |= IFF_RUNNING;
  if (hasCarrier === true) flags |= IFF_LOWER_UP;
  if (operState === 'dormant') flags |= IFF_DORMANT;
  return flags;
}
