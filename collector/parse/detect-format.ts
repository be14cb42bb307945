// Which tool printed this text: the `--format auto` detector, and the source of the reasons parsers give
// when they meet something else ("a routing table (netstat -r, route), not a socket table").
// Pure: it reads the text only. A header line decides; without one, the first row whose shape is a
// tool's own does.
import type { ParseFormat } from './formats';
import { isBlank, splitLines } from './text-lines';

export interface FormatDetection {
  kind: 'format';
  format: ParseFormat;
  /** The format and, where it matters, the dialect: `netstat (Windows)`. */
  label: string;
  /** 1-based line that decided. */
  line: number;
  /** A header decided (high confidence); otherwise the shape of a row did. */
  isFromHeader: boolean;
}

/** Output of a tool or mode the collector does not import (a routing table, statistics, an error message). */
export interface ForeignDetection {
  kind: 'foreign';
  description: string;
  line: number;
}

export type Detection = FormatDetection | ForeignDetection | { kind: 'unknown' };

const MAX_LINES_SCANNED = 2000;

interface ForeignShape {
  pattern: RegExp;
  description: string;
}

/** Headers and lines that start tables or reports no parser here reads. */
const FOREIGN_SHAPES: ForeignShape[] = [
  { pattern: /^Kernel IP(?:v6)? routing table/, description: 'a routing table (netstat -r, route)' },
  { pattern: /^Routing tables\s*$/, description: 'a routing table (netstat -r)' },
  { pattern: /^Destination\s+Gateway\s+/, description: 'a routing table (netstat -r, route)' },
  { pattern: /^\s*(?:IPv4|IPv6) Route Table\s*$|^Interface List\s*$|^Active Routes:\s*$|^={40,}\s*$/, description: 'a routing table (Windows netstat -r, route print)' },
  { pattern: /^(?:default|unreachable|blackhole|prohibit|local|broadcast|multicast|anycast|throw)(?:\s+\S+)?\s+(?:via|dev|proto|table|nhid)\s/, description: 'a routing table (ip route)' },
  { pattern: /^[0-9A-Fa-f.:]+(?:\/\d{1,3})?\s+(?:via\s+\S+\s+)?dev\s+\S+\s+(?:proto|scope|metric|src|table|linkdown|onlink)\b/, description: 'a routing table (ip route)' },
  { pattern: /^[0-9A-Fa-f.:]+\s+dev\s+\S+\s+(?:lladdr|FAILED|INCOMPLETE|STALE|REACHABLE|PERMANENT)\b/, description: 'a neighbour table (ip neigh)' },
  { pattern: /^Address\s+HWtype\s+HWaddress\s/, description: 'an ARP table (arp)' },
  { pattern: /^\S+ \([0-9A-Fa-f.:]+\) at (?:[0-9A-Fa-f:]+|\(incomplete\)|<incomplete>) /, description: 'an ARP table (arp -a)' },
  { pattern: /^Kernel Interface table/, description: 'an interface statistics table (netstat -i)' },
  { pattern: /^Iface\s+MTU\s/, description: 'an interface statistics table (netstat -i)' },
  { pattern: /^Name\s+Mtu\s+Network\s+Address\s/, description: 'an interface statistics table (netstat -i)' },
  { pattern: /^Interface Statistics\s*$/, description: 'interface statistics (Windows netstat -e)' },
  { pattern: /^(?:IPv6\/IPv4|IPv4|IPv6) Group Memberships\s*$/, description: 'multicast group memberships (netstat -g)' },
  { pattern: /^(?:Ip|Icmp|IcmpMsg|Tcp|Udp|UdpLite|TcpExt|IpExt|MPTcpExt|Sctp):\s*$/, description: 'protocol statistics (netstat -s)' },
  { pattern: /^(?:tcp|udp|ip|icmp|igmp|ipsec|ip6|icmp6|rip6|pfkey|arp|sctp|carp|pim|divert|mptcp):\s*$/, description: 'protocol statistics (netstat -s)' },
  { pattern: /^\s*(?:IPv4|IPv6|ICMPv4|ICMPv6|TCP for IPv4|TCP for IPv6|UDP for IPv4|UDP for IPv6) Statistics\s*$/, description: 'protocol statistics (Windows netstat -s)' },
  { pattern: /^Total: \d+/, description: 'a socket summary (ss -s)' },
  { pattern: /^The requested operation requires elevation\.?\s*$/, description: 'the error Windows netstat -b prints when not run as Administrator (it lists no sockets)' },
  { pattern: /^USER\s+COMMAND\s+PID\s+FD\s+PROTO\s+LOCAL ADDRESS/, description: 'FreeBSD sockstat output (not read here: run netstat -an or lsof -i)' },
  { pattern: /^(?:TCP|UDP|SCTP): IPv[46]\s*$/, description: 'Solaris/illumos netstat output (not read here: run lsof -i -n -P)' },
  { pattern: /^Active (?:UNIX|LOCAL \(UNIX\)) domain sockets/, description: 'UNIX domain sockets only (netstat -x)' },
];

/** What the line heads, when it heads something no parser here reads; null otherwise. */
export function recognizeForeignTable(line: string): string | null {
  return FOREIGN_SHAPES.find((shape) => shape.pattern.test(line))?.description ?? null;
}

/** Lines that say nothing about the format: notices and warnings the tools write around their tables. */
function isNoise(line: string): boolean {
  return (
    isBlank(line) ||
    /^lsof: /.test(line) ||
    /^\s*Output information may be incomplete/.test(line) ||
    /^traceroute6?: /.test(line) ||
    /^RTNETLINK answers: /.test(line) ||
    /^\((?:Not all processes could be identified|No info could be read)/.test(line) ||
    /^\s*will not be shown, you would have to be root/.test(line)
  );
}

type Match = { format: ParseFormat; isFromHeader: boolean } | { foreign: string };

const PS_COMMAND_COLUMNS = ['COMMAND', 'CMD', 'ARGS', 'COMM', 'UCOMM'];
const SS_NETIDS = 'tcp|udp|raw|u_str|u_dgr|u_seq|nl|p_raw|p_dgr|icmp6|mptcp|sctp|dccp|tipc|v_str|v_dgr|xdp';
const SS_STATES = 'LISTEN|ESTAB|UNCONN|TIME-WAIT|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|LAST-ACK|CLOSING|UNKNOWN';
const SS_ROW_WITH_NETID = new RegExp(`^(?:${SS_NETIDS})\\s+(?:${SS_STATES})\\s+\\d+\\s+\\d+\\s`);
const SS_ROW_WITHOUT_NETID = new RegExp(`^(?:${SS_STATES})\\s+\\d+\\s+\\d+\\s+\\S+:\\S+\\s`);

function matchHeader(line: string, isFirstLine: boolean): Match | null {
  const foreign = recognizeForeignTable(line);
  if (foreign !== null) return { foreign };
  const header = (format: ParseFormat): Match => ({ format, isFromHeader: true });
  if (isFirstLine && /^p\d+(?:\u0000|$)/.test(line)) return header('lsof-F');
  if (/^COMMAND\s+PID\s+(?:TID\s+(?:TASKCMD\s+)?)?USER\s+FD\s+TYPE\b/.test(line)) return header('lsof');
  if (/^\s*Active Connections\s*$/.test(line) || /^\s+Proto\s+Local Address\s+Foreign Address\s+State\b/.test(line)) return header('netstat');
  if (/^Active Internet6? connections|^Current listen queue sizes|^(?:(?:Tcpcb|Socket)\s+(?:Flowhash\s+)?)?Proto\s+(?:Recv-Q|Rexmit|Listen)\s/.test(line)) {
    return header('netstat');
  }
  if (/^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port/.test(line)) return header('ss');
  if (/^[^\s:]+:?\s+flags=[0-9A-Fa-fx]+</.test(line) || /^\S+\s+Link encap:/.test(line)) return header('ifconfig');
  if (/^\d+:\s+[^\s:@]+(?:@\S*)?:\s+</.test(line)) return header('ip-link');
  if (/^\s*traceroute6?\s+to\s/.test(line)) return header('traceroute');
  if (isPsHeader(line)) return header('ps');
  return null;
}

function isPsHeader(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words.includes('PID') && words.some((word) => PS_COMMAND_COLUMNS.includes(word)) && words.every((word) => /^[A-Z%][A-Z0-9%_:-]*$/.test(word));
}

function matchRow(line: string): Match | null {
  const row = (format: ParseFormat): Match => ({ format, isFromHeader: false });
  if (/^\s+(?:TCP|UDP)\s+\S+\s+\S+/.test(line)) return row('netstat');
  if (SS_ROW_WITH_NETID.test(line) || SS_ROW_WITHOUT_NETID.test(line)) return row('ss');
  if (/^(?:tcp|udp|raw|icm|toe)(?:4|6|46)?\s+\d+\s+\d+\s+\S+\s+\S+/.test(line)) return row('netstat');
  if (/^\S+\s+\d+\s.*\sIPv[46]\s/.test(line)) return row('lsof');
  if (/^\s*\d{1,3}\s+(?:\*|\S+\s+\([^)]*\)\s|\S+\s+\d+(?:\.\d+)?\s*ms\b)/.test(line)) return row('traceroute');
  return null;
}

export function detectFormat(text: string): Detection {
  const lines = splitLines(text).slice(0, MAX_LINES_SCANNED);
  let firstRow: { match: Match; line: number } | null = null;
  let isFirstLine = true;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (isNoise(line)) continue;
    const header = matchHeader(line, isFirstLine);
    isFirstLine = false;
    if (header !== null) return toDetection(header, index + 1, lines);
    firstRow ??= toRowMatch(line, index + 1);
  }
  return firstRow === null ? { kind: 'unknown' } : toDetection(firstRow.match, firstRow.line, lines);
}

function toRowMatch(line: string, lineNumber: number): { match: Match; line: number } | null {
  const match = matchRow(line);
  return match === null ? null : { match, line: lineNumber };
}

function toDetection(match: Match, line: number, lines: string[]): Detection {
  if ('foreign' in match) return { kind: 'foreign', description: match.foreign, line };
  return { kind: 'format', format: match.format, label: labelFor(match, lines), line, isFromHeader: match.isFromHeader };
}

function labelFor(match: { format: ParseFormat; isFromHeader: boolean }, lines: string[]): string {
  switch (match.format) {
    case 'netstat':
      return `netstat (${netstatDialect(lines)})`;
    case 'traceroute':
      return match.isFromHeader ? 'traceroute' : 'traceroute (hops only, no header)';
    case 'lsof-F':
      return 'lsof -F';
    case 'ip-link':
      return 'ip link / ip addr';
    default:
      return match.format;
  }
}

/** Windows, BSD/macOS with -A, BSD/macOS, or Linux: from the first line that tells. */
export function netstatDialect(lines: string[]): string {
  for (const line of lines) {
    if (/^\s*Active Connections\s*$/.test(line) || /^\s+(?:TCP|UDP)\s/.test(line) || /^\s+Proto\s+Local Address/.test(line)) return 'Windows';
    if (/^(?:Tcpcb|Socket)\s+(?:Flowhash\s+)?Proto\s/.test(line)) return 'BSD/macOS -A';
    if (/^Proto\s/.test(line)) return /\sState\b/.test(line) ? 'Linux' : 'BSD/macOS';
    const row = /^(?:tcp|udp|raw|icm)(4|6|46)?\s+\d+\s+\d+\s+(\S+)/.exec(line);
    if (row !== null) {
      const local = row[2] ?? '';
      return row[1] === '4' || row[1] === '46' || local.lastIndexOf('.') > local.lastIndexOf(':') ? 'BSD/macOS' : 'Linux';
    }
  }
  return 'Linux';
}
