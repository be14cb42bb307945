// Netmasks as prefix lengths, and addresses written as CIDR where the tool gives the mask.
import { ParseError, quote } from './parse-error';

/** `255.255.255.0`, `0xffffff00` (BSD) or `ffffff00` (Solaris) → 24; a mask with holes is refused. */
export function netmaskToPrefixLength(mask: string, line: number): number {
  const bits = readMaskBits(mask);
  if (bits === null) throw new ParseError(line, `netmask ${quote(mask)} is not a dotted or hex IPv4 mask`);
  const prefixLength = bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
  if (bits.slice(prefixLength).includes('1')) throw new ParseError(line, `netmask ${quote(mask)} is not contiguous`);
  return prefixLength;
}

function readMaskBits(mask: string): string | null {
  const hex = /^(?:0x)?([0-9a-fA-F]{8})$/.exec(mask)?.[1];
  if (hex !== undefined) return parseInt(hex, 16).toString(2).padStart(32, '0');
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(mask);
  if (octets === null) return null;
  const values = octets.slice(1).map(Number);
  if (values.some((value) => value > 255)) return null;
  return values.map((value) => value.toString(2).padStart(8, '0')).join('');
}

export function parsePrefixLength(text: string, maxLength: number, line: number): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) > maxLength) throw new ParseError(line, `prefix length ${quote(text)} out of range`);
  return Number(text);
}

/** An address as the tools print one: IPv4 dotted, IPv6 hex with colons, an optional %zone. */
export function checkAddress(address: string, line: number): string {
  if (!/^[0-9A-Fa-f.:]+(%[\w.-]+)?$/.test(address) || !/[.:]/.test(address)) {
    throw new ParseError(line, `expected an IP address, got ${quote(address)}`);
  }
  return address;
}

/** MAC addresses in lower case, the way /sys/class/net and `ip link` print them. */
export function checkMac(mac: string, line: number): string {
  const isMac = /^[0-9A-Fa-f]{1,2}([:-][0-9A-Fa-f]{1,2}){3,31}$/.test(mac);
  if (!isMac) throw new ParseError(line, `expected a hardware address, got ${quote(mac)}`);
  return mac.toLowerCase();
}
