// Telling a numeric address from a host name in tool output, without ever passing a name (or text a
// tool cut short) off as an address.
import type { AddressKind } from './socket-row';

const ZONE = /%[^\s%[\]]+$/;
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;

function isIpv4Address(text: string): boolean {
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** RFC 4291 text forms: eight groups, or fewer around one `::`, optionally ending in dotted IPv4. */
function isIpv6Address(text: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  const last = all[all.length - 1] ?? '';
  const hasIpv4Tail = last.includes('.');
  if (hasIpv4Tail && (!isIpv4Address(last) || !text.endsWith(last))) return false;
  const hexGroups = hasIpv4Tail ? all.slice(0, -1) : all;
  if (!hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const width = hexGroups.length + (hasIpv4Tail ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** `*`, `0.0.0.0`, `::1`, and either with a zone or ss's interface suffix (`fe80::1%en0`, `0.0.0.0%lo`, `*%eth0`). */
function isNumericAddress(text: string): boolean {
  const address = text.replace(ZONE, '');
  return address === '*' || isIpv4Address(address) || isIpv6Address(address);
}

function isHostName(text: string): boolean {
  return HOST_NAME.test(text) && /[A-Za-z_-]/.test(text);
}

/**
 * null for a numeric address, `name` for a host name; anything else (a cut `fe80::aede:48ff:`, stray
 * punctuation) is neither, and the caller says why it cannot read it unless it knows the tool cut it.
 */
export function classifyAddress(text: string): AddressKind | null | 'invalid' {
  if (isNumericAddress(text)) return null;
  return isHostName(text) ? 'name' : 'invalid';
}
