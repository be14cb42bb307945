// ifconfig in its three dialects:
// - Linux net-tools before 2.10: `eth0  Link encap:Ethernet  HWaddr ...`, flags on a later line ending in `MTU:1500`;
// - Linux net-tools 2.10+: `eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500`, `inet 10.0.0.5  netmask 255.255.255.0`;
// - BSD and macOS: `em0: flags=8943<...> metric 0 mtu 1500`, `inet 10.0.0.1 netmask 0xffffff00`, `inet6 fe80::1%em0 prefixlen 64`,
//   or with FreeBSD's `-f inet:cidr,inet6:cidr` `inet 10.10.2.101/24 broadcast ...`, `inet6 fe80::1%em0/64`.
// Detail lines this parser has no use for (options=, media:, status:, nd6 ...) are passed over.
import type { InterfaceRow } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { foreignTableError } from './empty-result';
import { emptyInterfaceRow, parseInterfaceListing } from './interface-row';
import { checkAddress, checkMac, netmaskToPrefixLength, parsePrefixLength } from './netmask';
import { parseCount } from './numbers';
import { ParseError, quote } from './parse-error';
import { splitWords } from './text-lines';

const MAX_ADDRESSES = 1024;

interface InterfaceDraft {
  row: InterfaceRow;
  line: number;
}

export function parseIfconfig(text: string): InterfaceRow[] {
  return parseInterfaceListing<InterfaceDraft>(text, {
    format: 'ifconfig',
    startInterface: (line, lineNumber) => ({ row: parseHeader(line, lineNumber), line: lineNumber }),
    addDetail: (draft, words, lineNumber) => parseDetail(draft.row, words, lineNumber),
    missingHeader: 'expected an interface line before its details',
    noInterface: 'no interface in this ifconfig output',
  });
}

function parseHeader(line: string, lineNumber: number): InterfaceRow {
  const modern = /^(\S+?):\s+flags=[0-9A-Fa-fx]+<([^>]*)>(.*)$/.exec(line);
  if (modern !== null) {
    const flags = (modern[2] ?? '').split(',').filter((flag) => flag !== '');
    return emptyInterfaceRow(modern[1] ?? '', flags, readMtu(splitWords(modern[3] ?? ''), lineNumber));
  }
  const old = /^(\S+)\s+Link encap:(.*)$/.exec(line);
  if (old !== null) {
    const row = emptyInterfaceRow(old[1] ?? '', [], null);
    const hardwareAddress = valueAfter(splitWords(old[2] ?? ''), 'HWaddr');
    if (hardwareAddress !== undefined) row.mac = checkMac(hardwareAddress, lineNumber);
    return row;
  }
  throw (
    foreignTableError(line, lineNumber, 'ifconfig') ?? new ParseError(lineNumber, `expected "NAME: flags=..." or "NAME Link encap:...", got ${quote(line)}`)
  );
}

function readMtu(words: string[], lineNumber: number): number | null {
  const mtu = valueAfter(words, 'mtu');
  return mtu === undefined ? null : parseCount(mtu, 'mtu', lineNumber);
}

function valueAfter(words: string[], key: string): string | undefined {
  const index = words.indexOf(key);
  return index < 0 ? undefined : words[index + 1];
}

function parseDetail(row: InterfaceRow, words: string[], lineNumber: number): void {
  const [first = '', second] = words;
  if (first === 'inet') addAddress(row, readInetAddress(words, lineNumber), lineNumber);
  else if (first === 'inet6') addAddress(row, readInet6Address(row.name, words, lineNumber), lineNumber);
  else if ((first === 'ether' || first === 'lladdr') && second !== undefined) row.mac = checkMac(second, lineNumber);
  else if (first === 'RX' || first === 'TX') readCounters(row, first, words, lineNumber);
  else if (words.some((word) => /^MTU:/.test(word))) readOldFlagsLine(row, words, lineNumber);
}

function addAddress(row: InterfaceRow, address: string, lineNumber: number): void {
  row.addresses.push(address);
  checkCount(row.addresses.length, MAX_ADDRESSES, `addresses on ${row.name}`, lineNumber);
}

/** `inet addr:10.0.0.5 Bcast:... Mask:255.255.255.0` (old), `inet 10.0.0.5 netmask 255.255.255.0|0xffffff00` or `inet 10.0.0.5/24`. */
function readInetAddress(words: string[], lineNumber: number): string {
  const second = words[1] ?? '';
  const cidr = /^([^/]+)\/(\d+)$/.exec(second);
  if (cidr !== null) return `${checkAddress(cidr[1] ?? '', lineNumber)}/${parsePrefixLength(cidr[2] ?? '', 32, lineNumber)}`;
  const isOld = second.startsWith('addr:');
  const address = checkAddress(isOld ? second.slice('addr:'.length) : second, lineNumber);
  const mask = isOld ? words.find((word) => word.startsWith('Mask:'))?.slice('Mask:'.length) : valueAfter(words, 'netmask');
  return mask === undefined ? address : `${address}/${netmaskToPrefixLength(mask, lineNumber)}`;
}

/** `inet6 addr: fe80::1/64 Scope:Link` (old) or `inet6 fe80::1%em0 prefixlen 64` (the zone naming this interface is dropped). */
function readInet6Address(interfaceName: string, words: string[], lineNumber: number): string {
  if (words[1] === 'addr:') {
    const [address = '', prefixLength, ...extra] = (words[2] ?? '').split('/');
    if (prefixLength === undefined || extra.length > 0) return checkAddress(address, lineNumber);
    return `${checkAddress(address, lineNumber)}/${parsePrefixLength(prefixLength, 128, lineNumber)}`;
  }
  const [written = '', cidrPrefixLength, ...extra] = (words[1] ?? '').split('/');
  if (extra.length > 0) throw new ParseError(lineNumber, `expected ADDRESS or ADDRESS/PREFIX, got ${quote(words[1] ?? '')}`);
  const address = checkAddress(written.endsWith(`%${interfaceName}`) ? written.slice(0, -interfaceName.length - 1) : written, lineNumber);
  const prefixLength = cidrPrefixLength ?? valueAfter(words, 'prefixlen');
  return prefixLength === undefined ? address : `${address}/${parsePrefixLength(prefixLength, 128, lineNumber)}`;
}

/** `RX packets:1 errors:0 dropped:0 ...` (old) or `RX errors 0  dropped 0 ...` (new); other RX/TX lines carry no errors. */
function readCounters(row: InterfaceRow, direction: 'RX' | 'TX', words: string[], lineNumber: number): void {
  const errorsWord = words.find((word) => word.startsWith('errors:'));
  const droppedWord = words.find((word) => word.startsWith('dropped:'));
  const errors = errorsWord?.slice('errors:'.length) ?? (words[1] === 'errors' ? words[2] : undefined);
  const dropped = droppedWord?.slice('dropped:'.length) ?? (words[1] === 'errors' ? valueAfter(words, 'dropped') : undefined);
  if (errors !== undefined) row[direction === 'RX' ? 'rxErrors' : 'txErrors'] = parseCount(errors, `${direction} errors`, lineNumber);
  if (dropped !== undefined) row[direction === 'RX' ? 'rxDropped' : 'txDropped'] = parseCount(dropped, `${direction} dropped`, lineNumber);
}

/** `UP BROADCAST RUNNING PROMISC MULTICAST  MTU:1500  Metric:1` */
function readOldFlagsLine(row: InterfaceRow, words: string[], lineNumber: number): void {
  const mtuIndex = words.findIndex((word) => /^MTU:/.test(word));
  const flags = words.slice(0, mtuIndex);
  const badFlag = flags.find((flag) => !/^[A-Z][A-Z0-9_-]*$/.test(flag));
  if (badFlag !== undefined) throw new ParseError(lineNumber, `expected interface flags before MTU, got ${quote(badFlag)}`);
  row.flags = flags;
  row.promiscuous = flags.includes('PROMISC');
  row.mtu = parseCount((words[mtuIndex] ?? '').slice('MTU:'.length), 'mtu', lineNumber);
}
