// netstat's internet sockets, dialect by dialect and line by line, so concatenated or grepped dumps parse:
// - Linux `netstat -anp` / `-tulpn` / `-an`: `tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 671/sshd`
//   (optional -e `User Inode` and -o `Timer` columns, announced by the header);
// - BSD and macOS `netstat -an`: `tcp4 0 0 *.22 *.* LISTEN`, `tcp6 0 0 ::1.53 *.* LISTEN`;
// - headerless `netstat -an | grep LISTEN` lines of either.
// Sections other than "Active Internet connections" (UNIX domain, Bluetooth, kernel events) are skipped.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { type Endpoint, parseColonEndpoint, parseDotEndpoint } from './endpoints';
import { parseCount, parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { makeSocketRow, type TransportProtocol, toSocketProtocol, userOrUid } from './socket-row';
import { isBlank, splitLines, splitWordsWithOffsets, type Word } from './text-lines';

const PORT_HINT = 'run netstat with -n';

interface NetstatProtocol {
  transport: TransportProtocol;
  isIpv6: boolean;
  /** tcp4, tcp46, ... exist only in BSD netstat. */
  isBsdOnly: boolean;
}

interface LinuxColumns {
  hasUserAndInode: boolean;
  hasTimer: boolean;
}

type SocketFields = Omit<SocketRow, 'proto' | 'localAddress' | 'localPort' | 'remoteAddress' | 'remotePort'>;

const PROTOCOLS = new Map<string, NetstatProtocol>([
  ['tcp', { transport: 'tcp', isIpv6: false, isBsdOnly: false }],
  ['tcp6', { transport: 'tcp', isIpv6: true, isBsdOnly: false }],
  ['udp', { transport: 'udp', isIpv6: false, isBsdOnly: false }],
  ['udp6', { transport: 'udp', isIpv6: true, isBsdOnly: false }],
  ['raw', { transport: 'raw', isIpv6: false, isBsdOnly: false }],
  ['raw6', { transport: 'raw', isIpv6: true, isBsdOnly: false }],
  ['tcp4', { transport: 'tcp', isIpv6: false, isBsdOnly: true }],
  ['udp4', { transport: 'udp', isIpv6: false, isBsdOnly: true }],
  // A tcp46 socket is an IPv6 socket that also accepts IPv4 (IPV6_V6ONLY off).
  ['tcp46', { transport: 'tcp', isIpv6: true, isBsdOnly: true }],
  ['udp46', { transport: 'udp', isIpv6: true, isBsdOnly: true }],
  // macOS lists its raw ICMP sockets as icm4 / icm6.
  ['icm4', { transport: 'raw', isIpv6: false, isBsdOnly: true }],
  ['icm6', { transport: 'raw', isIpv6: true, isBsdOnly: true }],
]);
/** Sockets the snapshot model has no protocol for, and UNIX sockets in grepped dumps. */
const SKIPPED_PROTOCOLS = new Set(['unix', 'udpl', 'udpl6', 'sctp', 'sctp4', 'sctp6', 'sctp46', 'divert', 'div4', 'div6']);
const TIMER_NAMES = new Set(['off', 'on', 'keepalive', 'timewait', 'probe']);
const DEFAULT_COLUMNS: LinuxColumns = { hasUserAndInode: false, hasTimer: false };

export function parseNetstat(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  let isInternetSection = true;
  let columns = DEFAULT_COLUMNS;
  splitLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line) || isPermissionNotice(line)) return;
    if (/^Active\s/.test(line)) {
      isInternetSection = /^Active Internet6? connections/.test(line);
      return;
    }
    if (!isInternetSection) return;
    if (/^\s*Proto\s/.test(line)) {
      columns = readLinuxColumns(line);
      return;
    }
    const row = parseSocketLine(line, lineNumber, columns);
    if (row === null) return;
    rows.push(row);
    checkCount(rows.length, MAX_SOCKETS, 'sockets', lineNumber);
  });
  return rows;
}

/** Linux netstat -p run without root opens with a two-line notice in parentheses. */
function isPermissionNotice(line: string): boolean {
  return (
    /^\((Not all processes could be identified|No info could be read)/.test(line) ||
    /^\s*will not be shown, you would have to be root/.test(line)
  );
}

function readLinuxColumns(header: string): LinuxColumns {
  return { hasUserAndInode: /\sUser\s+Inode\b/.test(header), hasTimer: /\sTimer\s*$/.test(header) };
}

function parseSocketLine(line: string, lineNumber: number, columns: LinuxColumns): SocketRow | null {
  const words = splitWordsWithOffsets(line);
  const protocolName = words[0]?.text ?? '';
  if (SKIPPED_PROTOCOLS.has(protocolName)) return null;
  const protocol = PROTOCOLS.get(protocolName);
  if (protocol === undefined) throw new ParseError(lineNumber, `unknown protocol ${quote(protocolName)}`);
  if (words.length < 5) {
    throw new ParseError(lineNumber, `expected "PROTO RECV-Q SEND-Q LOCAL REMOTE [STATE]", got ${words.length} columns`);
  }
  parseCount(words[1]?.text ?? '', 'Recv-Q', lineNumber);
  parseCount(words[2]?.text ?? '', 'Send-Q', lineNumber);
  const localText = words[3]?.text ?? '';
  const isBsd = protocol.isBsdOnly || isBsdEndpoint(localText);
  const parseEndpoint = isBsd ? parseDotEndpoint : parseColonEndpoint;
  const local = parseEndpoint(localText, lineNumber, PORT_HINT);
  const remote = parseEndpoint(words[4]?.text ?? '', lineNumber, PORT_HINT);
  const rest = words.slice(5);
  const fields = isBsd ? parseBsdRest(rest, lineNumber) : parseLinuxRest(line, rest, protocol.transport, columns, lineNumber);
  return toRow(protocol, local, remote, fields, lineNumber);
}

/** BSD writes ADDRESS.PORT, Linux ADDRESS:PORT; whichever separator comes last tells. */
function isBsdEndpoint(text: string): boolean {
  return text.lastIndexOf('.') > text.lastIndexOf(':');
}

function toRow(protocol: NetstatProtocol, local: Endpoint, remote: Endpoint, fields: SocketFields, lineNumber: number): SocketRow {
  return makeSocketRow(
    {
      proto: toSocketProtocol(protocol.transport, protocol.isIpv6),
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote.address,
      remotePort: remote.port,
      ...fields,
    },
    lineNumber,
  );
}

function emptyFields(): SocketFields {
  return { state: null, pid: null, process: null, user: null, uid: null, inode: null };
}

function parseBsdRest(rest: Word[], lineNumber: number): SocketFields {
  const [state, extra] = rest;
  if (extra !== undefined) throw new ParseError(lineNumber, `unexpected ${quote(extra.text)} after the state`);
  if (state !== undefined && !isStateName(state.text)) throw new ParseError(lineNumber, `expected a TCP state, got ${quote(state.text)}`);
  return { ...emptyFields(), state: state?.text ?? null };
}

function isStateName(text: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(text);
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
