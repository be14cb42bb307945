// `ip link`, `ip -d link`, `ip -s link` and `ip addr`:
//   2: eth0@if5: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP ...
//       link/ether aa:bb:cc:dd:ee:ff brd ff:ff:ff:ff:ff:ff promiscuity 1 ...
//       inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0
// An interface is promiscuous with the PROMISC flag, or with a promiscuity count above zero: a packet
// socket (tcpdump) raises the count without the flag ever showing.
import type { InterfaceRow } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { foreignTableError } from './empty-result';
import { emptyInterfaceRow, parseInterfaceListing } from './interface-row';
import { checkAddress, checkMac, parsePrefixLength } from './netmask';
import { parseCount } from './numbers';
import { ParseError, quote } from './parse-error';
import { splitWords } from './text-lines';

const MAX_ADDRESSES = 1024;

interface InterfaceDraft {
  row: InterfaceRow;
  line: number;
  pendingCounters: PendingCounters | null;
}

/** `ip -s`: the column names of the RX: or TX: line, waiting for the line of numbers under it. */
interface PendingCounters {
  direction: 'RX' | 'TX';
  columns: string[];
}

export function parseIpLink(text: string): InterfaceRow[] {
  return parseInterfaceListing<InterfaceDraft>(text, {
    format: 'ip-link',
    startInterface: (line, lineNumber) => ({ row: parseHeader(line, lineNumber), line: lineNumber, pendingCounters: null }),
    addDetail: parseDetail,
    missingHeader: 'expected an interface line such as "2: eth0: <...>" before its details',
    noInterface: 'no interface in this ip link output',
  });
}

function parseHeader(line: string, lineNumber: number): InterfaceRow {
  const match = /^\d+:\s+([^\s@:]+)(?:@[^\s:]*)?:\s+<([^>]*)>(.*)$/.exec(line);
  if (match === null)
    throw foreignTableError(line, lineNumber, 'ip-link') ?? new ParseError(lineNumber, `expected "INDEX: NAME: <FLAGS> mtu ...", got ${quote(line)}`);
  const flags = (match[2] ?? '').split(',').filter((flag) => flag !== '');
  const words = splitWords(match[3] ?? '');
  const mtuIndex = words.indexOf('mtu');
  const mtu = mtuIndex < 0 ? null : parseCount(words[mtuIndex + 1] ?? '', 'mtu', lineNumber);
  return emptyInterfaceRow(match[1] ?? '', flags, mtu);
}

function parseDetail(draft: InterfaceDraft, words: string[], lineNumber: number): void {
  const { row } = draft;
  const [first = ''] = words;
  if (draft.pendingCounters !== null) {
    readCounterValues(row, draft.pendingCounters, words, lineNumber);
    draft.pendingCounters = null;
    return;
  }
  if (first === 'RX:' || first === 'TX:') {
    draft.pendingCounters = { direction: first === 'RX:' ? 'RX' : 'TX', columns: words.slice(1) };
    return;
  }
  if (first.startsWith('link/')) readLinkLine(row, words, lineNumber);
  if (first === 'inet' || first === 'inet6') {
    row.addresses.push(readAddress(words[1] ?? '', first === 'inet' ? 32 : 128, lineNumber));
    checkCount(row.addresses.length, MAX_ADDRESSES, `addresses on ${row.name}`, lineNumber);
  }
  // `ip -d` prints the count on the link/ line or on a line of its own, depending on the version.
  const promiscuityIndex = words.indexOf('promiscuity');
  if (promiscuityIndex >= 0 && parseCount(words[promiscuityIndex + 1] ?? '', 'promiscuity', lineNumber) > 0) row.promiscuous = true;
}

/** `link/ether MAC brd ...`; `link/none`, `link/ipip 0.0.0.0` and other non-hardware links have no MAC. */
function readLinkLine(row: InterfaceRow, words: string[], lineNumber: number): void {
  const address = words[1];
  if (address === undefined || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2})+$/.test(address)) return;
  row.mac = checkMac(address, lineNumber);
}

/** `10.0.0.1/24`, `fe80::1/64`, or `10.8.0.1` (point-to-point, whose prefix belongs to the peer). */
function readAddress(text: string, maxPrefixLength: number, lineNumber: number): string {
  const [address = '', prefixLength, ...extra] = text.split('/');
  if (extra.length > 0) throw new ParseError(lineNumber, `expected ADDRESS/PREFIX, got ${quote(text)}`);
  checkAddress(address, lineNumber);
  return prefixLength === undefined ? address : `${address}/${parsePrefixLength(prefixLength, maxPrefixLength, lineNumber)}`;
}

/** `ip -s` numbers under `RX: bytes packets errors dropped ...`; human-readable (-h) values are not exact counts. */
function readCounterValues(row: InterfaceRow, pending: PendingCounters, values: string[], lineNumber: number): void {
  const valueOf = (column: string): number | null => {
    const value = values[pending.columns.indexOf(column)];
    if (value === undefined || pending.columns.indexOf(column) < 0 || /^\d+(\.\d+)?[KMGT]$/i.test(value)) return null;
    return parseCount(value, `${pending.direction} ${column}`, lineNumber);
  };
  if (pending.direction === 'RX') {
    row.rxErrors = valueOf('errors');
    row.rxDropped = valueOf('dropped');
  } else {
    row.txErrors = valueOf('errors');
    row.txDropped = valueOf('dropped');
  }
}
