// `lsof -i` / `lsof -Di -n -P -itcp -iudp` in columns:
//   COMMAND PID [TID TASKCMD] USER FD TYPE DEVICE SIZE/OFF NODE NAME [(STATE)]
// DEVICE and SIZE/OFF may be blank, so columns are found from TYPE (IPv4/IPv6) and from the line's end.
// Without -n and -P, NAME holds host and service names (`localhost:smtp`, `*:http-alt`).
// With tasks listed (-K, or lsof versions that list them by default), every thread of a process
// repeats the process's sockets on a line with its TID: one socket is still one row.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { foreignTableError, requireRows } from './empty-result';
import { isInternetFileType, isLsofWarning, parseLsofAddress, toLsofTransport } from './lsof-address';
import { parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { endpointFields, makeSocketRow, toSocketProtocol, userOrUid } from './socket-row';
import { isBlank, splitLines, splitWords } from './text-lines';

const FIRST_TYPE_COLUMN = 4;
/** DEVICE and SIZE/OFF, either of which lsof leaves blank for some sockets. */
const MAX_COLUMNS_BETWEEN_TYPE_AND_NODE = 2;

export function parseLsofText(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  /** PID, FD and the columns after them, of every socket line read: a thread's line repeats one of them. */
  const seenSockets = new Set<string>();
  splitLines(text).forEach((line, index) => {
    const row = parseLine(line, index + 1, seenSockets);
    if (row === null) return;
    rows.push(row);
    checkCount(rows.length, MAX_SOCKETS, 'sockets', index + 1);
  });
  return requireRows(rows, text, 'lsof', 'no internet sockets in this lsof output (run lsof with -i)');
}

function parseLine(line: string, lineNumber: number, seenSockets: Set<string>): SocketRow | null {
  if (isBlank(line) || isHeader(line) || isLsofWarning(line)) return null;
  const words = splitWords(line);
  const [command = '', pidText = ''] = words;
  if (words.length < 2) throw new ParseError(lineNumber, `expected "COMMAND PID USER FD TYPE ... NAME", got ${quote(line)}`);
  if (!/^\d+$/.test(pidText)) throw foreignTableError(line, lineNumber, 'lsof') ?? new ParseError(lineNumber, `pid ${quote(pidText)} is not a number`);
  const pid = parsePid(pidText, lineNumber);
  const typeIndex = words.findIndex((word, index) => index >= 2 && isInternetFileType(word));
  // Files that are not internet sockets (lsof without -i lists them too) have no socket row.
  if (typeIndex < 0) return null;
  if (typeIndex < FIRST_TYPE_COLUMN) throw new ParseError(lineNumber, `expected USER and FD before ${words[typeIndex] ?? 'TYPE'}`);
  // TID and TASKCMD sit between PID and USER: a thread's line repeats its process's socket.
  const socketKey = [pidText, ...words.slice(typeIndex - 1)].join(' ');
  const isThreadLine = typeIndex > FIRST_TYPE_COLUMN;
  if (isThreadLine && seenSockets.has(socketKey)) return null;
  seenSockets.add(socketKey);
  return parseSocketColumns(words, typeIndex, lineNumber, { command, pid });
}

function isHeader(line: string): boolean {
  return /^\s*COMMAND\s+PID\s/.test(line);
}

function parseSocketColumns(words: string[], typeIndex: number, lineNumber: number, owner: { command: string; pid: number }): SocketRow | null {
  const last = words[words.length - 1] ?? '';
  if (toLsofTransport(last) !== null)
    throw new ParseError(lineNumber, `expected NAME (ADDRESS:PORT) after ${quote(last)}, got the end of the line (was it wrapped?)`);
  const stateMatch = /^\((.+)\)$/.exec(last);
  const nameIndex = stateMatch === null ? words.length - 1 : words.length - 2;
  const nodeIndex = nameIndex - 1;
  const between = nodeIndex - typeIndex - 1;
  if (between < 0 || between > MAX_COLUMNS_BETWEEN_TYPE_AND_NODE) {
    const type = words[typeIndex] ?? 'TYPE';
    throw new ParseError(lineNumber, `expected "DEVICE SIZE/OFF NODE NAME" after ${type}, got ${between + 2} columns`);
  }
  const node = words[nodeIndex] ?? '';
  const transport = toLsofTransport(node);
  if (transport === null) {
    if (/^[A-Za-z][A-Za-z0-9]*$/.test(node)) return null;
    throw new ParseError(lineNumber, `expected a protocol (TCP, UDP) in the NODE column, got ${quote(node)}`);
  }
  const { local, remote } = parseLsofAddress(words[nameIndex] ?? '', lineNumber, transport);
  return makeSocketRow(
    {
      proto: toSocketProtocol(transport, words[typeIndex] === 'IPv6'),
      ...endpointFields(local, remote),
      state: stateMatch?.[1] ?? null,
      pid: owner.pid,
      process: owner.command,
      ...userOrUid(words[typeIndex - 2] ?? '', lineNumber),
    },
    lineNumber,
  );
}
