// Windows netstat (`netstat`, `-a`, `-an`, `-ano`, `-anob`, `-p tcp`, `-q`, `-t`):
//
//   Active Connections
//
//     Proto  Local Address          Foreign Address        State           PID
//     TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1012
//     RpcSs                                                   <- -b: the component (a service), ignored
//    [svchost.exe]                                            <- -b: the executable, the row's process
//     TCP    [::]:445               [::]:0                 LISTENING       4
//    Can not obtain ownership information
//     UDP    0.0.0.0:500            *:*                                    2876
//
// States are written the Linux way (LISTENING → LISTEN); a foreign port 0 and UDP's `*:*` mean none.
// Only the English state names are known: netstat in another display language is refused at its first state.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { type Endpoint, parseColonEndpoint } from './endpoints';
import { recognizeForeignTable } from './detect-format';
import { foreignTableError } from './empty-result';
import { parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { endpointFields, makeSocketRow, type TransportProtocol, toSocketProtocol } from './socket-row';
import { isBlank, splitLines, splitWords } from './text-lines';

const STATES = new Map([
  ['LISTENING', 'LISTEN'],
  ['ESTABLISHED', 'ESTABLISHED'],
  ['SYN_SENT', 'SYN_SENT'],
  ['SYN_RECEIVED', 'SYN_RECV'],
  ['FIN_WAIT_1', 'FIN_WAIT1'],
  ['FIN_WAIT_2', 'FIN_WAIT2'],
  ['CLOSE_WAIT', 'CLOSE_WAIT'],
  ['CLOSING', 'CLOSING'],
  ['LAST_ACK', 'LAST_ACK'],
  ['TIME_WAIT', 'TIME_WAIT'],
  ['CLOSED', 'CLOSE'],
  // Windows only: a TCB being deleted, and (-q) a port bound by a socket that neither listens nor connects.
  ['DELETE_TCB', 'DELETE_TCB'],
  ['BOUND', 'BOUND'],
]);

const TRANSPORTS = new Map<string, TransportProtocol>([
  ['TCP', 'tcp'],
  ['UDP', 'udp'],
]);

/** The rows so far; -b lines name the process of the row just read. */
interface WindowsReading {
  rows: SocketRow[];
  lastRow: { row: SocketRow; line: number } | null;
  hasTitle: boolean;
}

export function parseWindowsNetstat(text: string): SocketRow[] {
  const reading: WindowsReading = { rows: [], lastRow: null, hasTitle: false };
  splitLines(text).forEach((line, index) => readLine(reading, line, index + 1));
  return reading.rows;
}

function readLine(reading: WindowsReading, line: string, lineNumber: number): void {
  if (isBlank(line) || /^\s+Proto\s/.test(line) || isPromptEcho(line)) return;
  // The title ("Active Connections", or its translation) is the one unindented line before the rows.
  if (!reading.hasTitle && reading.rows.length === 0 && !/^\s/.test(line) && recognizeForeignTable(line) === null) {
    reading.hasTitle = true;
    return;
  }
  const words = splitWords(line);
  const transport = TRANSPORTS.get(words[0] ?? '');
  if (transport !== undefined) {
    const row = parseConnection(words, transport, lineNumber);
    reading.rows.push(row);
    reading.lastRow = { row, line: lineNumber };
    checkCount(reading.rows.length, MAX_SOCKETS, 'sockets', lineNumber);
    return;
  }
  readOwnershipLine(reading, line, lineNumber);
}

/** `C:\Users\alice>netstat -ano` when the console was copied with its prompt. */
function isPromptEcho(line: string): boolean {
  return /^[A-Za-z]:\\[^>]*>\s*netstat\b/i.test(line);
}

/** What -b prints under a connection: components, then `[program.exe]`, or that ownership is unknown. */
function readOwnershipLine(reading: WindowsReading, line: string, lineNumber: number): void {
  const last = reading.lastRow;
  const program = /^\s*\[(.+)\]\s*$/.exec(line)?.[1];
  if (last !== null && program !== undefined) {
    const index = reading.rows.lastIndexOf(last.row);
    const row = makeSocketRow({ ...last.row, process: program }, last.line);
    reading.rows[index] = row;
    reading.lastRow = { row, line: last.line };
    return;
  }
  if (last !== null && /^\s*Can not obtain ownership information\s*$/.test(line)) return;
  // A component: one name on an indented line (RpcSs, Dnscache, CryptSvc, ...).
  if (last !== null && /^\s+\S+\s*$/.test(line) && !/^\s+[[(]/.test(line)) return;
  throw (
    foreignTableError(line, lineNumber, 'netstat') ??
    new ParseError(lineNumber, `expected "TCP" or "UDP" followed by LOCAL FOREIGN [STATE] [PID], got ${quote(line.trim())}`)
  );
}

function parseConnection(words: string[], transport: TransportProtocol, lineNumber: number): SocketRow {
  const [, localText, remoteText, ...rest] = words;
  if (localText === undefined || remoteText === undefined) throw new ParseError(lineNumber, 'expected "PROTO LOCAL FOREIGN", got fewer columns');
  const local = parseColonEndpoint(localText, lineNumber, transport);
  const remote = readRemote(remoteText, transport, lineNumber);
  let next = 0;
  let state: string | null = null;
  if (transport === 'tcp') {
    state = toLinuxState(rest[0], lineNumber);
    next = 1;
  }
  // -o: the PID follows; -t (offload state) and -y (template) print words, never a bare number.
  const pidText = rest[next];
  // PID 0 is the System Idle pseudo-process, which holds sockets no process owns any more (TIME_WAIT).
  const pid = pidText !== undefined && /^\d+$/.test(pidText) ? parsePid(pidText, lineNumber) || null : null;
  return makeSocketRow(
    {
      proto: toSocketProtocol(transport, isIpv6(local, remote)),
      ...endpointFields(local, remote),
      state,
      pid,
    },
    lineNumber,
  );
}

/** UDP's `*:*` is no peer at all; a TCP listener's `0.0.0.0:0` is an address with no port (Linux prints `*`). */
function readRemote(text: string, transport: TransportProtocol, lineNumber: number): Endpoint | null {
  if (text === '*:*') return null;
  const remote = parseColonEndpoint(text, lineNumber, transport);
  return remote.port === 0 ? { ...remote, port: null } : remote;
}

/** Brackets mark IPv6 addresses; with names on both ends (old `netstat` without -n) nothing does, and IPv4 is read. */
function isIpv6(local: Endpoint, remote: Endpoint | null): boolean {
  return local.isBracketed || (local.addressKind === 'name' && remote !== null && remote.isBracketed);
}

function toLinuxState(word: string | undefined, lineNumber: number): string {
  if (word === undefined) throw new ParseError(lineNumber, 'expected the TCP state after the addresses');
  const state = STATES.get(word);
  if (state === undefined) {
    throw new ParseError(
      lineNumber,
      `unknown Windows TCP state ${quote(word)} (states are read in English only: run netstat with an English display language)`,
    );
  }
  return state;
}
