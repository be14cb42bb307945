// BSD and macOS netstat's internet sockets, read by the names in the header, whatever columns come first:
//   netstat -an            Proto Recv-Q Send-Q Local Address Foreign Address (state)
//   FreeBSD -A             Tcpcb Proto Recv-Q Send-Q Local Address Foreign Address (state)
//   macOS -A               Socket Flowhash Proto Recv-Q Send-Q Local Address Foreign Address (state)
//   FreeBSD -T             Proto Rexmit OOORcv 0-win Local Address Foreign Address   (UDP rows leave them blank)
//   FreeBSD -L             Proto Listen Local Address                                (listening TCP sockets)
//   FreeBSD -x, -R, -c, -C, -P and macOS -b, -v add columns after the addresses; macOS -v names the
//   owner (`pid`, or `process:pid` in later releases). UDP rows leave the state column blank.
// Endpoints are HOST.PORT cut to fit the column: the host to 16 characters (12 with -A when ports are
// names), the whole endpoint to 22 (18 with -A), unless -W. Text that may have been cut is marked
// truncated, never passed off as an address (usr.bin/netstat/inet.c inetprint, inet6.c inet6print).
import type { SocketRow } from '../../lib/schemas/snapshot';
import { type EndpointText, readEndpoint, splitDotEndpoint, type Truncation } from './endpoints';
import { classifyAddress } from './host-addresses';
import { NETSTAT_PROTOCOLS, type NetstatProtocol, isStateName } from './netstat-protocols';
import { parseCount, parsePid } from './numbers';
import { ParseError, quote } from './parse-error';
import { isServiceName } from './service-names';
import { makeSocketRow, endpointFields, toSocketProtocol } from './socket-row';
import type { Word } from './text-lines';

type QueueColumns = 'recv-send' | 'rexmit' | 'listen';

export interface BsdLayout {
  /** -A: the control block address (FreeBSD `Tcpcb`, macOS `Socket` and `Flowhash`) before Proto. */
  prefixColumns: number;
  queueColumns: QueueColumns;
  hasState: boolean;
  /** Column names after the addresses and the state. */
  extraColumns: string[];
  isAflag: boolean;
}

export const PLAIN_BSD_LAYOUT: BsdLayout = { prefixColumns: 0, queueColumns: 'recv-send', hasState: true, extraColumns: [], isAflag: false };

const TWO_WORD_COLUMNS = new Map([
  ['Local', 'Address'],
  ['Foreign', 'Address'],
  ['Log', 'ID'],
]);

/** The header's column names, `Local Address` and the like as one. */
function headerColumns(header: string): string[] {
  const words = header.trim().split(/\s+/);
  const columns: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const second = TWO_WORD_COLUMNS.get(word);
    if (second !== undefined && words[index + 1] === second) {
      columns.push(`${word} ${second}`);
      index++;
    } else {
      columns.push(word);
    }
  }
  return columns;
}

export function readBsdHeader(header: string, lineNumber: number): BsdLayout {
  const columns = headerColumns(header);
  const protoIndex = columns.indexOf('Proto');
  if (protoIndex < 0) throw new ParseError(lineNumber, 'macOS netstat -L lists listen queues without their protocol; run netstat -an instead');
  let next = protoIndex + 1;
  const queueColumns = readQueueColumns(columns, next, lineNumber);
  next += queueColumns === 'recv-send' ? 2 : queueColumns === 'rexmit' ? 3 : 1;
  const expected = queueColumns === 'listen' ? ['Local Address'] : ['Local Address', 'Foreign Address'];
  for (const name of expected) {
    if (columns[next] !== name) throw new ParseError(lineNumber, `expected a "${name}" column in the netstat header, got ${quote(columns[next] ?? 'nothing')}`);
    next++;
  }
  const hasState = columns[next] === '(state)';
  if (hasState) next++;
  return { prefixColumns: protoIndex, queueColumns, hasState, extraColumns: columns.slice(next), isAflag: protoIndex > 0 };
}

function readQueueColumns(columns: string[], start: number, lineNumber: number): QueueColumns {
  const [first, second, third] = columns.slice(start, start + 3);
  if (first === 'Recv-Q' && second === 'Send-Q') return 'recv-send';
  if (first === 'Rexmit' && second === 'OOORcv' && third === '0-win') return 'rexmit';
  if (first === 'Listen') return 'listen';
  throw new ParseError(lineNumber, `expected "Recv-Q Send-Q", "Rexmit OOORcv 0-win" or "Listen" after Proto, got ${quote(first ?? 'nothing')}`);
}

/** One socket line, its endpoints not yet read: whether they were cut depends on the whole section. */
export interface BsdSocketLine {
  protocol: NetstatProtocol;
  local: EndpointText;
  remote: EndpointText | null;
  state: string | null;
  pid: number | null;
  process: string | null;
  line: number;
}

/** null for a protocol the snapshot has no rows for. */
export function readBsdSocketLine(words: Word[], lineNumber: number, layout: BsdLayout, isSkipped: (name: string) => boolean): BsdSocketLine | null {
  for (const word of words.slice(0, layout.prefixColumns)) {
    if (!/^[0-9A-Fa-f]+$/.test(word.text)) throw new ParseError(lineNumber, `expected the -A control block address (hex), got ${quote(word.text)}`);
  }
  let next = layout.prefixColumns;
  const name = words[next]?.text ?? '';
  next++;
  if (isSkipped(name)) return null;
  const protocol = NETSTAT_PROTOCOLS.get(name);
  if (protocol === undefined) throw new ParseError(lineNumber, `unknown protocol ${quote(name)}`);
  // -T leaves Rexmit, OOORcv and 0-win blank on non-TCP rows.
  const queueCount = layout.queueColumns === 'recv-send' ? 2 : layout.queueColumns === 'listen' ? 1 : protocol.transport === 'tcp' ? 3 : 0;
  for (const word of words.slice(next, next + queueCount)) {
    if (layout.queueColumns === 'listen') {
      if (!/^\d+\/\d+\/\d+$/.test(word.text)) throw new ParseError(lineNumber, `expected listen queue sizes like "0/0/128", got ${quote(word.text)}`);
    } else {
      parseCount(word.text, layout.queueColumns === 'rexmit' ? 'retransmit count' : 'queue size', lineNumber);
    }
  }
  next += queueCount;
  const addressCount = layout.queueColumns === 'listen' ? 1 : 2;
  const addressWords = words.slice(next, next + addressCount);
  if (addressWords.length < addressCount) {
    throw new ParseError(lineNumber, `expected ${addressCount === 1 ? 'the local address' : 'local and foreign addresses'} after the ${name} columns`);
  }
  next += addressCount;
  const local = splitDotEndpoint(addressWords[0]?.text ?? '', lineNumber);
  const remote = addressCount === 2 ? splitDotEndpoint(addressWords[1]?.text ?? '', lineNumber) : null;
  let state: string | null = layout.queueColumns === 'listen' && protocol.transport === 'tcp' ? 'LISTEN' : null;
  if (layout.hasState && protocol.transport === 'tcp') {
    state = readState(words[next]?.text, lineNumber);
    next++;
  }
  const rest = words.slice(next);
  if (layout.extraColumns.length === 0 && rest[0] !== undefined) {
    throw new ParseError(lineNumber, `unexpected ${quote(rest[0].text)} after the ${layout.hasState && protocol.transport === 'tcp' ? 'state' : 'addresses'}`);
  }
  const owner = readOwner(rest, layout.extraColumns, lineNumber);
  return { protocol, local, remote, state, ...owner, line: lineNumber };
}

/** `LISTEN`, `ESTABLISHED`; `*` marks FreeBSD's T/TCP hidden state; a number is a state netstat has no name for. */
function readState(text: string | undefined, lineNumber: number): string | null {
  if (text === undefined) throw new ParseError(lineNumber, 'expected the TCP state after the addresses');
  const name = text.endsWith('*') ? text.slice(0, -1) : text;
  if (/^\d+$/.test(name)) return null;
  if (!isStateName(name)) throw new ParseError(lineNumber, `expected a TCP state, got ${quote(text)}`);
  return name;
}

/** macOS -v: `pid` (with `epid` after it), or `process:pid` whose name may hold spaces. */
function readOwner(rest: Word[], extraColumns: string[], lineNumber: number): Pick<BsdSocketLine, 'pid' | 'process'> {
  const pidColumn = extraColumns.indexOf('pid');
  if (pidColumn >= 0 && rest[pidColumn] !== undefined) return { pid: parsePid(rest[pidColumn]?.text ?? '', lineNumber), process: null };
  const processColumn = extraColumns.indexOf('process:pid');
  if (processColumn < 0 || rest[processColumn] === undefined) return { pid: null, process: null };
  const after = extraColumns.length - processColumn - 1;
  const text = rest
    .slice(processColumn, Math.max(processColumn + 1, rest.length - after))
    .map((word) => word.text)
    .join(' ');
  const match = /^(.*):(\d+)$/s.exec(text);
  if (match === null) throw new ParseError(lineNumber, `expected "process:pid", got ${quote(text)}`);
  return { pid: parsePid(match[2] ?? '', lineNumber), process: match[1] === '' ? null : (match[1] ?? null) };
}

interface SectionWidths {
  /** -W: nothing was cut. */
  isWide: boolean;
  endpointWidth: number;
  hostWidth: number;
}

/**
 * The rows of one section (one header), endpoints read with what the whole section tells: whether any
 * endpoint is wider than the column (-W), and whether ports are names (without -n, -A cuts hosts to 12).
 */
export function buildBsdRows(lines: BsdSocketLine[], layout: BsdLayout): SocketRow[] {
  const endpoints = lines.flatMap((line) => (line.remote === null ? [line.local] : [line.local, line.remote]));
  const endpointWidth = layout.isAflag ? 18 : 22;
  const isNumeric = endpoints.every((endpoint) => !isServiceName(endpoint.port) && classifyAddress(endpoint.host) !== 'name');
  const widths: SectionWidths = {
    isWide: endpoints.some((endpoint) => endpoint.text.length > endpointWidth),
    endpointWidth,
    hostWidth: layout.isAflag && !isNumeric ? 12 : 16,
  };
  return lines.map((line) => {
    const transport = line.protocol.transport;
    const local = readEndpoint(line.local, transport, line.line, truncationOf(line.local, widths));
    const remote = line.remote === null ? null : readEndpoint(line.remote, transport, line.line, truncationOf(line.remote, widths));
    return makeSocketRow(
      {
        proto: toSocketProtocol(transport, line.protocol.isIpv6),
        ...endpointFields(local, remote),
        state: line.state,
        pid: line.pid,
        process: line.process,
      },
      line.line,
    );
  });
}

/** A 5-digit port or `*` is whole even at the column's edge; a shorter number or a name there may be cut. */
function truncationOf(endpoint: EndpointText, widths: SectionWidths): Truncation {
  if (widths.isWide || endpoint.host === '*') return 'none';
  if (endpoint.text.length >= widths.endpointWidth && endpoint.port !== '*' && !/^\d{5}$/.test(endpoint.port)) return 'whole';
  return endpoint.host.length >= widths.hostWidth ? 'host' : 'none';
}
