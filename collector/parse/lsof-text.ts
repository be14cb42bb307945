// `lsof -i` / `lsof -Di -n -P -itcp -iudp` in columns:
//   COMMAND PID [TID TASKCMD] USER FD TYPE DEVICE SIZE/OFF NODE NAME [(STATE)]
// DEVICE and SIZE/OFF may be blank, so columns are found from TYPE (IPv4/IPv6) and from the line's end.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { isInternetFileType, isLsofWarning, parseLsofAddress, toLsofTransport } from './lsof-address';
import { parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { makeSocketRow, toSocketProtocol, userOrUid } from './socket-row';
import { isBlank, splitLines, splitWords } from './text-lines';

const FIRST_TYPE_COLUMN = 4;
/** DEVICE and SIZE/OFF, either of which lsof leaves blank for some sockets. */
const MAX_COLUMNS_BETWEEN_TYPE_AND_NODE = 2;

export function parseLsofText(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  splitLines(text).forEach((line, index) => {
    const row = parseLine(line, index + 1);
    if (row === null) return;
    rows.push(row);
    checkCount(rows.length, MAX_SOCKETS, 'sockets', index + 1);
  });
  return rows;
}

function parseLine(line: string, lineNumber: number): SocketRow | null {
  if (isBlank(line) || isHeader(line) || isLsofWarning(line)) return null;
  const words = splitWords(line);
  const [command = '', pidText = ''] = words;
  if (words.length < 2) throw new ParseError(lineNumber, `expected "COMMAND PID USER FD TYPE ... NAME", got ${quote(line)}`);
  const pid = parsePid(pidText, lineNumber);
  const typeIndex = words.findIndex((word, index) => index >= 2 && isInternetFileType(word));
  // Files that are not internet sockets (lsof without -i lists them too) have no socket row.
  if (typeIndex < 0) return null;
  if (typeIndex < FIRST_TYPE_COLUMN) throw new ParseError(lineNumber, `expected USER and FD before ${words[typeIndex] ?? 'TYPE'}`);
  return parseSocketColumns(words, typeIndex, lineNumber, { command, pid });
}

function isHeader(line: string): boolean {
  return /^\s*COMMAND\s+PID\s/.test(line);
}

function parseSocketColumns(
  words: string[],
  typeIndex: number,
  lineNumber: number,
  owner: { command: string; pid: number },
): SocketRow | null {
  const last = words[words.length - 1] ?? '';
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
  const { local, remote } = parseLsofAddress(words[nameIndex] ?? '', lineNumber);
  return makeSocketRow(
    {
      proto: toSocketProtocol(transport, words[typeIndex] === 'IPv6'),
      localAddress: local.address,
      localPort: local.port,
      remoteAddress: remote?.address ?? null,
      remotePort: remote?.port ?? null,
      state: stateMatch?.[1] ?? null,
      pid: owner.pid,
      process: owner.command,
      ...userOrUid(words[typeIndex - 2] ?? '', lineNumber),
    },
    lineNumber,
  );
}
