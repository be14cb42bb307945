// Addresses as the kernel prints them in /proc/net/* (hex of native-endian 32-bit words) turned into
// the text that `ss`, `ip` and inet_ntop(3) print, so native rows compare equal to tool output.

/** True on little-endian hosts (x86, arm64): /proc prints each 32-bit word in host byte order. */
export type ByteOrder = 'LE' | 'BE';

const HEX_WORD = /^[0-9A-Fa-f]{8}$/;

/** Four bytes of one `%08X` word, in network order. */
function wordBytes(hexWord: string, byteOrder: ByteOrder): number[] | null {
  if (!HEX_WORD.test(hexWord)) return null;
  const bytes = [0, 2, 4, 6].map((offset) => Number.parseInt(hexWord.slice(offset, offset + 2), 16));
  return byteOrder === 'LE' ? bytes.reverse() : bytes;
}

/** `0100007F` → `127.0.0.1` (on a little-endian host). */
export function decodeHexIpv4(hex: string, byteOrder: ByteOrder): string | null {
  const bytes = wordBytes(hex, byteOrder);
  return bytes === null ? null : bytes.join('.');
}

/** 32 hex digits (four words) → 16 bytes in network order. */
function decodeHexIpv6Bytes(hex: string, byteOrder: ByteOrder): number[] | null {
  if (hex.length !== 32) return null;
  const bytes: number[] = [];
  for (let offset = 0; offset < 32; offset += 8) {
    const word = wordBytes(hex.slice(offset, offset + 8), byteOrder);
    if (word === null) return null;
    bytes.push(...word);
  }
  return bytes;
}

/** 32 hex digits in network order, as /proc/net/if_inet6 prints them. */
export function decodeNetworkOrderHexIpv6(hex: string): string | null {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let offset = 0; offset < 32; offset += 2) bytes.push(Number.parseInt(hex.slice(offset, offset + 2), 16));
  return formatIpv6(bytes);
}

export function decodeHexIpv6(hex: string, byteOrder: ByteOrder): string | null {
  const bytes = decodeHexIpv6Bytes(hex, byteOrder);
  return bytes === null ? null : formatIpv6(bytes);
}

/** Longest run of two or more zero groups (the first one on a tie), as RFC 5952 and glibc pick it. */
function longestZeroRun(groups: readonly number[]): { start: number; length: number } | null {
  let best: { start: number; length: number } | null = null;
  let runStart = -1;
  for (let index = 0; index <= groups.length; index += 1) {
    if (index < groups.length && groups[index] === 0) {
      if (runStart < 0) runStart = index;
      continue;
    }
    if (runStart >= 0) {
      const length = index - runStart;
      if (length >= 2 && (best === null || length > best.length)) best = { start: runStart, length };
      runStart = -1;
    }
  }
  return best;
}

/**
 * 16 bytes → text exactly as glibc's inet_ntop prints it (what ss and ip show): lower-case, the
 * longest zero run as `::`, and a dotted tail for IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible
 * (::a.b.c.d) addresses.
 */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  const zeroRun = longestZeroRun(groups);
  const dottedTail = `${bytes[12] ?? 0}.${bytes[13] ?? 0}.${bytes[14] ?? 0}.${bytes[15] ?? 0}`;
  const hasDottedTail = zeroRun !== null && zeroRun.start === 0 && (zeroRun.length === 6 || (zeroRun.length === 5 && groups[5] === 0xffff));

  let text = '';
  for (let index = 0; index < 8; index += 1) {
    if (zeroRun !== null && index >= zeroRun.start && index < zeroRun.start + zeroRun.length) {
      if (index === zeroRun.start) text += ':';
      continue;
    }
    if (index !== 0) text += ':';
    if (index === 6 && hasDottedTail) return text + dottedTail;
    text += (groups[index] ?? 0).toString(16);
  }
  if (zeroRun !== null && zeroRun.start + zeroRun.length === 8) text += ':';
  return text;
}

/** Number of leading one bits in a netmask such as 255.255.255.0; null when the mask has holes. */
export function prefixLengthOfMask(mask: number): number | null {
  let length = 0;
  while (length < 32 && (mask & (0x80000000 >>> length)) !== 0) length += 1;
  const expected = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return mask >>> 0 === expected ? length : null;
}

/** `192.0.2.7` → 0xC0000207; null for anything that is not four decimal octets. */
export function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** Host-order hex word as /proc/net/route prints it → number in network-order value (192.0.2.0 → 0xC0000200). */
export function decodeHexIpv4Number(hex: string, byteOrder: ByteOrder): number | null {
  const bytes = wordBytes(hex, byteOrder);
  if (bytes === null) return null;
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}
