// netstat's internet sockets, dialect by dialect and line by line, so concatenated or grepped dumps parse:
// - Linux `netstat -anp` / `-tulpn` / `-an` / `-a`: `tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 671/sshd`
//   (optional -e `User Inode` and -o `Timer` columns, announced by the header), with or without -n;
// - BSD and macOS (netstat-bsd.ts): `tcp4 0 0 *.22 *.* LISTEN`, with -A, -T, -L, -x, -v ... columns;
// - Windows (netstat-windows.ts): `TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 1012`;
// - headerless `netstat -an | grep LISTEN` lines of Linux or BSD.
// Sections other than internet connections (UNIX domain, Bluetooth, kernel events) are skipped; tables
// that are not socket tables (netstat -r, -i, -s, -g) are refused with what they are.
// Without -n, Linux cuts ADDRESS so ADDRESS:PORT fits 23 characters (net-tools netstat.c, unless -W or -T):
// an address at that limit may be cut, and is marked truncated.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { netstatDialect } from './detect-format';
import { foreignTableError, requireRows } from './empty-result';
import { type EndpointText, readEndpoint, splitColonEndpoint, type Truncation } from './endpoints';
import { type BsdLayout, type BsdSocketLine, buildBsdRows, PLAIN_BSD_LAYOUT, readBsdHeader, readBsdSocketLine } from './netstat-bsd';
import { NETSTAT_PROTOCOLS, type NetstatProtocol, SKIPPED_NETSTAT_PROTOCOLS, isChangeNotice, isPermissionNotice, isStateName } from './netstat-protocols';
import { parseWindowsNetstat } from './netstat-windows';
import { parseCount, parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { endpointFields, makeSocketRow, type TransportProtocol, toSocketProtocol, userOrUid } from './socket-row';
import { isBlank, splitLines, splitWordsWithOffsets, type Word } from './text-lines';

/** Longest ADDRESS:PORT Linux netstat prints without -W. */
const LINUX_ENDPOINT_WIDTH = 23;
const TIMER_NAMES = new Set(['off', 'on', 'keepalive', 'timewait', 'probe']);

interface LinuxColumns {
  hasUserAndInode: boolean;
  hasTimer: boolean;
}

type SocketFields = Omit<SocketRow, 'proto' | 'localAddress' | 'localPort' | 'remoteAddress' | 'remotePort'>;

interface LinuxSocketLine {
  protocol: NetstatProtocol;
  local: EndpointText;
  remote: EndpointText;
  fields: SocketFields;
  line: number;
}

/** Lines of one BSD section: their endpoints are read once the whole section is known. */
interface BsdSection {
  layout: BsdLayout;
  lines: BsdSocketLine[];
  rows: SocketRow[] | null;
}

/** A socket in file order, built after the whole file is read. */
type PendingSocket = { dialect: 'linux'; socket: LinuxSocketLine } | { dialect: 'bsd'; section: BsdSection; index: number };

interface Reading {
  pending: PendingSocket[];
  isInternetSection: boolean;
  linuxColumns: LinuxColumns;
  /** The BSD header in force, or null under a Linux header or none. */
  bsdSection: BsdSection | null;
  headerlessBsd: BsdSection;
}

const DEFAULT_COLUMNS: LinuxColumns = { hasUserAndInode: false, hasTimer: false };

export function parseNetstat(text: string): SocketRow[] {
  const lines = splitLines(text);
  const rows = netstatDialect(lines) === 'Windows' ? parseWindowsNetstat(text) : parseUnixNetstat(lines);
  return requireRows(rows, text, 'netstat', 'no internet sockets in this netstat output (only headers, or sections such as UNIX domain sockets)');
}

function parseUnixNetstat(lines: string[]): SocketRow[] {
  const reading: Reading = {
    pending: [],
    isInternetSection: true,
    linuxColumns: DEFAULT_COLUMNS,
    bsdSection: null,
    headerlessBsd: { layout: PLAIN_BSD_LAYOUT, lines: [], rows: null },
  };
  lines.forEach((line, index) => readLine(reading, line, index + 1));
  return buildRows(reading.pending);
}

function readLine(reading: Reading, line: string, lineNumber: number): void {
  if (isBlank(line) || isPermissionNotice(line) || isChangeNotice(line)) return;
  if (/^Active\s/.test(line) || /^Current listen queue sizes/.test(line)) {
    reading.isInternetSection = /^Active Internet6? connections|^Current listen queue sizes/.test(line);
    reading.bsdSection = null;
    reading.linuxColumns = DEFAULT_COLUMNS;
    return;
  }
  if (!reading.isInternetSection) return;
  if (/^\s*(?:(?:Tcpcb|Socket)\s+(?:Flowhash\s+)?)?Proto\s/.test(line) || /^\s*Listen\s+Local Address/.test(line)) {
    readHeader(reading, line, lineNumber);
    return;
  }
  const pending = readSocketLine(reading, line, lineNumber);
  if (pending === null) return;
  reading.pending.push(pending);
  checkCount(reading.pending.length, MAX_SOCKETS, 'sockets', lineNumber);
}

/** Linux headers name a `State` column; BSD ones write `(state)`, or none with -x, -T, -L. */
function readHeader(reading: Reading, line: string, lineNumber: number): void {
  if (/\sState\b/.test(line) && /^\s*Proto\s/.test(line)) {
    reading.linuxColumns = { hasUserAndInode: /\sUser\s+Inode\b/.test(line), hasTimer: /\sTimer\s*$/.test(line) };
    reading.bsdSection = null;
    return;
  }
  reading.bsdSection = { layout: readBsdHeader(line, lineNumber), lines: [], rows: null };
}

function readSocketLine(reading: Reading, line: string, lineNumber: number): PendingSocket | null {
  const words = splitWordsWithOffsets(line);
  const section = reading.bsdSection;
  if (section !== null) return addBsdLine(section, readBsdSocketLine(words, lineNumber, section.layout, isSkippedProtocol));
  const protocolName = words[0]?.text ?? '';
  if (isSkippedProtocol(protocolName)) return null;
  const protocol = NETSTAT_PROTOCOLS.get(protocolName);
  if (protocol === undefined) throw foreignTableError(line, lineNumber, 'netstat') ?? new ParseError(lineNumber, `unknown protocol ${quote(protocolName)}`);
  if (words.length < 5) {
    throw new ParseError(lineNumber, `expected "PROTO RECV-Q SEND-Q LOCAL REMOTE [STATE]", got ${words.length} columns`);
  }
  if (protocol.isBsdOnly || isBsdEndpoint(words[3]?.text ?? '')) {
    return addBsdLine(reading.headerlessBsd, readBsdSocketLine(words, lineNumber, PLAIN_BSD_LAYOUT, isSkippedProtocol));
  }
  return { dialect: 'linux', socket: readLinuxSocketLine(line, words, protocol, reading.linuxColumns, lineNumber) };
}

function isSkippedProtocol(name: string): boolean {
  return SKIPPED_NETSTAT_PROTOCOLS.has(name);
}

function addBsdLine(section: BsdSection, socket: BsdSocketLine | null): PendingSocket | null {
  if (socket === null) return null;
  section.lines.push(socket);
  return { dialect: 'bsd', section, index: section.lines.length - 1 };
}

/** BSD writes ADDRESS.PORT, Linux ADDRESS:PORT; whichever separator comes last tells. */
function isBsdEndpoint(text: string): boolean {
  return text.lastIndexOf('.') > text.lastIndexOf(':');
}

function readLinuxSocketLine(line: string, words: Word[], protocol: NetstatProtocol, columns: LinuxColumns, lineNumber: number): LinuxSocketLine {
  parseCount(words[1]?.text ?? '', 'Recv-Q', lineNumber);
  parseCount(words[2]?.text ?? '', 'Send-Q', lineNumber);
  const local = splitColonEndpoint(words[3]?.text ?? '', lineNumber);
  const remote = splitColonEndpoint(words[4]?.text ?? '', lineNumber);
  const fields = parseLinuxRest(line, words.slice(5), protocol.transport, columns, lineNumber);
  return { protocol, local, remote, fields, line: lineNumber };
}

function buildRows(pending: PendingSocket[]): SocketRow[] {
  const linuxEndpoints = pending.flatMap((item) => (item.dialect === 'linux' ? [item.socket.local, item.socket.remote] : []));
  // -W (or -T) prints whole addresses: one endpoint past the limit shows it was given.
  const isWide = linuxEndpoints.some((endpoint) => endpoint.text.length > LINUX_ENDPOINT_WIDTH);
  return pending.map((item) => {
    if (item.dialect === 'linux') return buildLinuxRow(item.socket, isWide);
    item.section.rows ??= buildBsdRows(item.section.lines, item.section.layout);
    // buildBsdRows returns one row per line, so the index is always there.
    return item.section.rows[item.index] as SocketRow;
  });
}

function buildLinuxRow(socket: LinuxSocketLine, isWide: boolean): SocketRow {
  const transport = socket.protocol.transport;
  const local = readEndpoint(socket.local, transport, socket.line, linuxTruncation(socket.local, isWide));
  const remote = readEndpoint(socket.remote, transport, socket.line, linuxTruncation(socket.remote, isWide));
  return makeSocketRow({ proto: toSocketProtocol(transport, socket.protocol.isIpv6), ...endpointFields(local, remote), ...socket.fields }, socket.line);
}

/** An ADDRESS:PORT exactly at the limit may have lost the end of its address (never its port). */
function linuxTruncation(endpoint: EndpointText, isWide: boolean): Truncation {
  return !isWide && endpoint.text.length === LINUX_ENDPOINT_WIDTH ? 'host' : 'none';
}

function emptyFields(): SocketFields {
  return { state: null, pid: null, process: null, user: null, uid: null, inode: null };
}

function parseLinuxRest(line: string, rest: Word[], transport: TransportProtocol, columns: LinuxColumns, lineNumber: number): SocketFields {
  const fields = emptyFields();
  let next = 0;
  const first = rest[0]?.text;
  // Raw sockets show the kernel's state number (always 7, "closed"), which names no TCP state.
  if (first !== undefined && (isStateName(first) || (transport === 'raw' && /^\d+$/.test(first)))) {
    fields.state = isStateName(first) ? first : null;
    next = 1;
  }
  if (columns.hasUserAndInode) {
    const [user, inode] = [rest[next], rest[next + 1]];
    if (user === undefined || inode === undefined) throw new ParseError(lineNumber, 'expected the User and Inode columns');
    const inodeNumber = parseCount(inode.text, 'inode', lineNumber);
    // Inode 0 is a socket with no owner left (TIME_WAIT); its "user 0" is the kernel's placeholder.
    if (inodeNumber > 0) Object.assign(fields, userOrUid(user.text, lineNumber), { inode: inodeNumber });
    next += 2;
  }
  const end = columns.hasTimer ? rest.length - countTimerWords(rest, lineNumber) : rest.length;
  const program = rest.slice(next, end);
  return { ...fields, ...parseProgram(line, program, lineNumber) };
}

/** `-o` ends the line with a timer such as `off (0.00/0/0)`. */
function countTimerWords(rest: Word[], lineNumber: number): number {
  const [name, value] = rest.slice(-2);
  if (name === undefined || value === undefined || !TIMER_NAMES.has(name.text) || !/^\(.*\)$/.test(value.text)) {
    throw new ParseError(lineNumber, 'expected a Timer column such as "off (0.00/0/0)"');
  }
  return 2;
}

/** `671/sshd`, `783/sendmail: accep` (the name may hold spaces), or `-` when the owner is not visible. */
function parseProgram(line: string, program: Word[], lineNumber: number): Pick<SocketRow, 'pid' | 'process'> {
  const first = program[0];
  const last = program[program.length - 1];
  if (first === undefined || last === undefined) return { pid: null, process: null };
  const text = line.slice(first.start, last.start + last.text.length);
  if (text === '-') return { pid: null, process: null };
  const match = /^(\d+)\/(.*)$/s.exec(text);
  if (match === null) throw new ParseError(lineNumber, `expected "PID/Program name" or "-", got ${quote(text)}`);
  const name = match[2] ?? '';
  return { pid: parsePid(match[1] ?? '', lineNumber), process: name === '' ? null : name };
}
