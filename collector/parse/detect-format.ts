// Which tool printed this text: the `--format auto` detector, and the source of the reasons parsers give
// when they meet something else ("a routing table (netstat -r, route), not a socket table").
// Pure: it reads the text only. A header line decides; without one, the first row whose shape is a
// tool's own does. Package listings mostly have no header: a line only that tool prints stands in for
// one (dpkg -l's `+++-===` ruler, the dpkg status file's `Status: install ok installed`, the checksum
// line that opens each stanza of apk's database), and their one-package lines are rows.
import type { ParseFormat } from './formats';
import { isBlank, splitLines } from './text-lines';

interface FormatDetection {
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
interface ForeignDetection {
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
  {
    pattern: /^\s*(?:IPv4|IPv6) Route Table\s*$|^Interface List\s*$|^Active Routes:\s*$|^={40,}\s*$/,
    description: 'a routing table (Windows netstat -r, route print)',
  },
  {
    pattern: /^(?:default|unreachable|blackhole|prohibit|local|broadcast|multicast|anycast|throw)(?:\s+\S+)?\s+(?:via|dev|proto|table|nhid)\s/,
    description: 'a routing table (ip route)',
  },
  {
    pattern: /^[0-9A-Fa-f.:]+(?:\/\d{1,3})?\s+(?:via\s+\S+\s+)?dev\s+\S+\s+(?:proto|scope|metric|src|table|linkdown|onlink)\b/,
    description: 'a routing table (ip route)',
  },
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
  {
    pattern: /^\s*(?:IPv4|IPv6|ICMPv4|ICMPv6|TCP for IPv4|TCP for IPv6|UDP for IPv4|UDP for IPv6) Statistics\s*$/,
    description: 'protocol statistics (Windows netstat -s)',
  },
  { pattern: /^Total: \d+/, description: 'a socket summary (ss -s)' },
  {
    pattern: /^The requested operation requires elevation\.?\s*$/,
    description: 'the error Windows netstat -b prints when not run as Administrator (it lists no sockets)',
  },
  { pattern: /^USER\s+COMMAND\s+PID\s+FD\s+PROTO\s+LOCAL ADDRESS/, description: 'FreeBSD sockstat output (not read here: run netstat -an or lsof -i)' },
  { pattern: /^(?:TCP|UDP|SCTP): IPv[46]\s*$/, description: 'Solaris/illumos netstat output (not read here: run lsof -i -n -P)' },
  { pattern: /^Active (?:UNIX|LOCAL \(UNIX\)) domain sockets/, description: 'UNIX domain sockets only (netstat -x)' },
  {
    pattern: /^[^\s-]+(?:-[^\s-]+){2,}\s{2,}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/,
    description: 'rpm -qa --last output (not read here: run rpm -qa without --last)',
  },
  { pattern: /^[^\s-]+(?:-[^\s-]+)*-r\d+ \S+ \{[^}]*\} \([^)]*\)(?: \[[^\]]*\])?\s*$/, description: 'apk list output (not read here: run apk info -v)' },
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

// Package listings (rpm-qa.ts, dpkg-*.ts and apk-*.ts say what each tool prints).
/** Longer lines are no package listing's: package rows are not looked for in them, which keeps long input cheap. */
const MAX_PACKAGE_LINE = 1000;
/** A Debian package name (lower case, digits, + - .), qualified with `:arch` by dpkg for Multi-Arch packages. */
const DEB_NAME = '[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?';
/** A Debian version: [epoch:]upstream[-revision], the upstream part starting with a digit. */
const DEB_VERSION = '(?:\\d+:)?\\d[A-Za-z0-9.+~:-]*';
const DEB_ARCH = '[a-z0-9-]+';
/** Architectures a third space-separated word must name for a `NAME VERSION ARCH` line (dpkg's release architectures and `all`). */
const DEB_RELEASE_ARCHES = 'all|amd64|arm64|armel|armhf|i386|mips64el|mipsel|ppc64el|riscv64|s390x|loong64|x32|powerpc|ppc64|sparc64|alpha|hppa|ia64|m68k|sh4';
/** `dpkg -l`'s three letters (selection, state, error flag) and the Status field's three words (dpkg-states.ts). */
const DPKG_STATE_LETTERS = '[uihrp][ncHUFWti][ RHX]';
const DPKG_STATUS_WORDS = '(?:unknown|install|hold|deinstall|purge)[ \\t]+(?:ok|reinstreq|hold|hold-reinstreq)[ \\t]+[a-z-]+';
const DPKG_LIST_RULER = /^\+\+\+(?:-=+){3,4}\s*$/;
const DPKG_LIST_ROW = new RegExp(`^${DPKG_STATE_LETTERS} +${DEB_NAME} +\\S+(?: +\\S.*)?$`);
/** `dpkg-query -W`: NAME<TAB>VERSION, with -f variants adding the architecture and putting the state first. */
const DPKG_QUERY_TAB_ROW = new RegExp(`^(?:(?:${DPKG_STATE_LETTERS}|${DPKG_STATUS_WORDS})\\t)?${DEB_NAME}\\t(?:${DEB_VERSION})?(?:\\t(?:${DEB_ARCH})?)?$`);
const DPKG_QUERY_STATUS_ROW = new RegExp(`^${DPKG_STATUS_WORDS}[ \\t]+${DEB_NAME}[ \\t]+${DEB_VERSION}(?:[ \\t]+${DEB_ARCH})?$`);
/** `-f '${db:Status-Abbrev} ${Package} ${Version} ${Architecture}\n'`: dpkg -l's letters, but no description after. */
const DPKG_QUERY_ABBREV_ROW = new RegExp(`^${DPKG_STATE_LETTERS} +${DEB_NAME} +${DEB_VERSION}(?: +(?:${DEB_RELEASE_ARCHES}))?$`);
/** `dpkg-query -W -f '${Package} ${Version}\n'`: a version with a separator in it, so that "total 12" is no package. */
const DPKG_QUERY_SPACE_ROW = new RegExp(`^${DEB_NAME} (?=\\S*[.+~-])${DEB_VERSION}(?: (?:${DEB_RELEASE_ARCHES}))?$`);
const DPKG_STATUS_FIELD = new RegExp(`^status:[ \\t]*${DPKG_STATUS_WORDS}[ \\t]*$`, 'i');
const DPKG_PACKAGE_FIELD = /^package:[ \t]*[a-z0-9][a-z0-9+.-]*[ \t]*$/i;
/** rpm -qa --queryformat RPM_QUERY_FORMAT: NAME, EPOCH, VERSION, RELEASE, ARCH, INSTALLTIME; "(none)" for a missing tag. */
const RPM_QUERY_FORMAT_ROW = /^[^\s]+\t(?:\(none\)|\d+)\t[^\s]+\t[^\s]+\t[^\s]+\t(?:\(none\)|\d+)$/;
/** rpm's architectures (rpmrc arch_canon) by family, as the last word of NAME-VERSION-RELEASE.ARCH. */
const RPM_ARCH =
  '(?:noarch|x86_64(?:_v[234])?|i[3-6]86|athlon|geode|pentium[34]|amd64|ia32e|em64t|ia64|aarch64|armv[3-8]\\w*|ppc\\w*|s390x?|sparc\\w*|alpha\\w*|mips\\w*|riscv64|loongarch64|m68k|sh[34]a?|xtensa)';
/** NAME-[EPOCH:]VERSION-RELEASE.ARCH: versions and releases hold no dash, names may; matching dash-free runs keeps it linear. */
const RPM_NEVRA_ROW = new RegExp(`^[^\\s-]+(?:-[^\\s-]+)*-[^\\s-]+-[^\\s-]+\\.${RPM_ARCH}$`);
/** An imported signing key: no architecture, version and release are hex. */
const RPM_GPG_PUBKEY_ROW = /^gpg-pubkey-[0-9a-f]{8}-[0-9a-f]{8}$/;
/** Old rpm (RHEL 5) printed NAME-VERSION-RELEASE: both start with a digit here, so apk's "-r2" is not one. */
const RPM_NVR_ROW = /^[^\s-]+(?:-[^\s-]+)*-(?:\d+:)?\d[^\s-]*-\d[^\s-]*$/;
/** `apk info -v` (-vv adds " - DESCRIPTION"): NAME-VERSION, the version as apk-package(5) writes it, with its -rN. */
const APK_INFO_ROW = /^[^\s-]+(?:-[^\s-]+)*?-\d+(?:\.\d+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(?:~[0-9a-f]+)?-r\d+(?: - .*)?$/;
/** The checksum line that opens each stanza of /lib/apk/db/installed: Q1 and base64 SHA-1, or MD5 in hex. */
const APK_CHECKSUM_FIELD = /^C:(?:Q1[A-Za-z0-9+/]{20,}={0,2}|[0-9a-f]{32})$/;
const APK_NAME_FIELD = /^P:[^\s:]+$/;

function matchHeader(line: string, isFirstLine: boolean): Match | null {
  const foreign = recognizeForeignTable(line);
  if (foreign !== null) return { foreign };
  const header = (format: ParseFormat): Match => ({ format, isFromHeader: true });
  // lsof -F0 ends each field with NUL: the first field alone is the process id.
  if (isFirstLine && /^p\d+$/.test(line.split('\0', 1)[0] ?? '')) return header('lsof-F');
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
  return matchPackageHeader(line);
}

/** dpkg -l's legend and ruler (the legend is translated; the ruler is not), a dpkg Status field, an apk checksum line. */
function matchPackageHeader(line: string): Match | null {
  const header = (format: ParseFormat): Match => ({ format, isFromHeader: true });
  if (/^Desired=Unknown\/Install\/Remove\/Purge\/Hold\b/.test(line) || /^\|\|\/ /.test(line) || DPKG_LIST_RULER.test(line)) return header('dpkg-l');
  if (DPKG_STATUS_FIELD.test(line)) return header('dpkg-status');
  if (APK_CHECKSUM_FIELD.test(line)) return header('apk-installed');
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
  return line.length > MAX_PACKAGE_LINE ? null : matchPackageRow(line);
}

/** One package per line (or the first field of a stanza): tried after every socket, process and hop shape. */
function matchPackageRow(line: string): Match | null {
  const row = (format: ParseFormat): Match => ({ format, isFromHeader: false });
  if (RPM_QUERY_FORMAT_ROW.test(line)) return row('rpm-qa');
  if (DPKG_QUERY_TAB_ROW.test(line) || DPKG_QUERY_STATUS_ROW.test(line) || DPKG_QUERY_ABBREV_ROW.test(line)) return row('dpkg-query');
  if (DPKG_LIST_ROW.test(line)) return row('dpkg-l');
  if (RPM_NEVRA_ROW.test(line) || RPM_GPG_PUBKEY_ROW.test(line)) return row('rpm-qa');
  if (APK_INFO_ROW.test(line)) return row('apk-info');
  if (RPM_NVR_ROW.test(line)) return row('rpm-qa');
  if (DPKG_QUERY_SPACE_ROW.test(line)) return row('dpkg-query');
  if (DPKG_PACKAGE_FIELD.test(line)) return row('dpkg-status');
  if (APK_NAME_FIELD.test(line)) return row('apk-installed');
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
  return { kind: 'format', format: match.format, label: labelFor(match, lines, line), line, isFromHeader: match.isFromHeader };
}

function labelFor(match: { format: ParseFormat; isFromHeader: boolean }, lines: string[], line: number): string {
  switch (match.format) {
    case 'netstat':
      return `netstat (${netstatDialect(lines)})`;
    case 'traceroute':
      return match.isFromHeader ? 'traceroute' : 'traceroute (hops only, no header)';
    case 'lsof-F':
      return 'lsof -F';
    case 'ip-link':
      return 'ip link / ip addr';
    case 'rpm-qa':
      return RPM_QUERY_FORMAT_ROW.test(lines[line - 1] ?? '') ? 'rpm -qa (--queryformat)' : 'rpm -qa';
    case 'dpkg-l':
      return 'dpkg -l';
    case 'dpkg-query':
      return 'dpkg-query -W';
    case 'dpkg-status':
      return 'dpkg status (/var/lib/dpkg/status, dpkg-query -s)';
    case 'apk-info':
      return 'apk info -v';
    case 'apk-installed':
      return 'apk database (/lib/apk/db/installed)';
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
