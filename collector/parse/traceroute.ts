// traceroute (Linux and BSD, with names or -n), one run per "traceroute to" header, runs concatenated:
//   traceroute to library.airnews.net (206.66.12.202), 30 hops max, 40 byte packets
//    1  rbrt3 (208.225.64.50)  4.867 ms  4.893 ms  3.449 ms
//    4  rbrt3.exit109.com (208.225.64.50)  35.931 ms !H *  39.970 ms !H
// A line that does not start a hop or a run continues the one before (output wrapped by a mail or a page).
// BSD and macOS print the header on stderr, so `traceroute host > file` holds hops only: such a run has
// the target it is given, or UNKNOWN_TARGET; hop numbers starting again at 1 start another run.
// A hop line that cannot be read keeps its text (`unparsed`) and no probes; the other hops still count.
import { hopSchema, type TracerouteHop, type TracerouteProbe, type TracerouteRun, tracerouteSchema } from '../../lib/schemas/snapshot';
import { checkCount, checkRow } from './check-rows';
import { foreignTableError, requireRows } from './empty-result';
import { parseCount } from './numbers';
import { ParseError, quote } from './parse-error';
import { isBlank, splitLines, splitWords } from './text-lines';

const MAX_RUNS = 256;
const MAX_HOPS = 255;
const MAX_PROBES = 32;
const MAX_RTT_MS = 3_600_000;
const MAX_UNPARSED_LENGTH = 512;

/** The target of a run printed without its header, when none is given: a name no host can have. */
export const UNKNOWN_TARGET = '(unknown target)';

export interface TracerouteOptions {
  /** The target of runs whose `traceroute to` header is missing. */
  target?: string;
}

interface LogicalLine {
  text: string;
  line: number;
}

interface RunDraft {
  run: TracerouteRun;
  line: number;
  hasHeader: boolean;
}

export function parseTraceroute(text: string, options: TracerouteOptions = {}): TracerouteRun[] {
  const runs: RunDraft[] = [];
  const startRun = (run: TracerouteRun, line: number, hasHeader: boolean) => {
    runs.push({ run, line, hasHeader });
    checkCount(runs.length, MAX_RUNS, 'traceroute runs', line);
  };
  for (const record of joinWrappedLines(text)) {
    if (isHeader(record.text)) {
      startRun(parseHeader(record), record.line, true);
      continue;
    }
    const hop = parseHop(record);
    const current = runs[runs.length - 1];
    const previousHop = current?.run.hops[current.run.hops.length - 1]?.hop ?? 0;
    if (current === undefined || (!current.hasHeader && hop.hop <= previousHop)) {
      startRun({ target: options.target ?? UNKNOWN_TARGET, targetAddress: null, startedAt: null, hops: [] }, record.line, false);
    }
    const run = runs[runs.length - 1]?.run;
    run?.hops.push(hop);
    checkCount(run?.hops.length ?? 0, MAX_HOPS, 'hops', record.line);
  }
  for (const draft of runs) refuseUnreadableRun(draft);
  return requireRows(
    runs.map(({ run, line }) => checkRow(tracerouteSchema, run, line)),
    text,
    'traceroute',
    'no traceroute header or hop in this input',
  );
}

/** Hops only, none of them readable: this is not traceroute output that lost a line, but something else. */
function refuseUnreadableRun(draft: RunDraft): void {
  const { hops } = draft.run;
  if (draft.hasHeader || hops.length === 0 || hops.some((hop) => hop.unparsed === undefined)) return;
  throw new ParseError(draft.line, `no hop could be read, first ${quote(hops[0]?.unparsed ?? '')}`);
}

function isHeader(text: string): boolean {
  return /^\s*traceroute6?\s+to\s/.test(text);
}

function isHopStart(text: string): boolean {
  return /^\s*\d+\s/.test(text);
}

function* joinWrappedLines(text: string): Generator<LogicalLine> {
  let pending: LogicalLine | null = null;
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    // traceroute's own warnings ("traceroute: Warning: ... has multiple addresses"), when stderr was captured too.
    if (isBlank(line) || /^traceroute6?: /.test(line)) continue;
    if (isHeader(line) || isHopStart(line)) {
      if (pending !== null) yield pending;
      pending = { text: line, line: index + 1 };
    } else if (pending === null) {
      throw foreignTableError(line, index + 1, 'traceroute') ?? new ParseError(index + 1, `expected a traceroute header or hop line, got ${quote(line)}`);
    } else {
      pending = { text: `${pending.text} ${line.trim()}`, line: pending.line };
    }
  }
  if (pending !== null) yield pending;
}

function parseHeader(record: LogicalLine): TracerouteRun {
  const match = /^\s*traceroute6?\s+to\s+(\S+)\s+\(([^)\s]+)\)/.exec(record.text);
  if (match === null) throw new ParseError(record.line, `expected "traceroute to HOST (ADDRESS), ...", got ${quote(record.text)}`);
  return { target: match[1] ?? '', targetAddress: match[2] ?? null, startedAt: null, hops: [] };
}

/** The hop number must read; what follows it may not, and is then kept as printed. */
function parseHop(record: LogicalLine): TracerouteHop {
  const [hopText = '', ...tokens] = splitWords(record.text);
  const hop = parseCount(hopText, 'hop', record.line, MAX_HOPS);
  if (hop < 1) throw new ParseError(record.line, 'hop 0 out of range');
  try {
    return checkRow(hopSchema, { hop, probes: parseProbes(tokens, record.line) }, record.line);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const unparsed = record.text.trim().slice(0, MAX_UNPARSED_LENGTH);
    return checkRow(hopSchema, { hop, probes: [], unparsed }, record.line);
  }
}

/** Probes in order; the address (and name) in force changes wherever a new one is printed mid-line. */
function parseProbes(tokens: string[], line: number): TracerouteProbe[] {
  const probes: TracerouteProbe[] = [];
  let responder: { address: string; name: string | null } | null = null;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? '';
    const next = tokens[index + 1];
    const rtt = readRoundTrip(token, next);
    if (token === '*') {
      probes.push({ address: null, name: null, rttMs: null, annotation: null });
    } else if (rtt !== null) {
      if (responder === null) throw new ParseError(line, `round-trip time ${quote(token)} before any address`);
      if (rtt > MAX_RTT_MS) throw new ParseError(line, `round-trip time ${quote(token)} out of range`);
      probes.push({ ...responder, rttMs: rtt, annotation: null });
      if (!token.endsWith('ms')) index++;
    } else if (isAnnotation(token)) {
      annotateLastProbe(probes, token, line);
    } else if (/^\[.*\]$|^<.*>$/.test(token)) {
      // AS numbers (-A) and ICMP extensions (-e) say nothing about the probe itself.
    } else {
      const read = readResponder(token, next, line);
      responder = read.responder;
      index += read.extraTokens;
    }
    checkCount(probes.length, MAX_PROBES, 'probes on one hop', line);
  }
  return probes;
}

/** `4.867 ms` or `4.867ms`, in milliseconds. */
function readRoundTrip(token: string, next: string | undefined): number | null {
  const joined = /^(\d+(?:\.\d+)?)ms$/.exec(token)?.[1];
  const separate = next === 'ms' && /^\d+(?:\.\d+)?$/.test(token) ? token : undefined;
  const value = joined ?? separate;
  return value === undefined ? null : Number(value);
}

/** !H !N !P !S !F !X !V !C !U !W !Q !T, `!<code>`, BSD's `!F-1500` (with the MTU) and a lone `!` (reply TTL ≤ 1). */
function isAnnotation(token: string): boolean {
  return /^!(?:[A-Z]|<\d{1,3}>|\d{1,3}|F-\d{1,5})?$/.test(token);
}

function annotateLastProbe(probes: TracerouteProbe[], annotation: string, line: number): void {
  const last = probes[probes.length - 1];
  if (last === undefined || last.annotation !== null) throw new ParseError(line, `annotation ${quote(annotation)} follows no probe`);
  last.annotation = annotation;
}

/** `name (address)`, or a bare address with -n; a name that is only the address again (no reverse DNS) is no name. */
function readResponder(token: string, next: string | undefined, line: number): { responder: { address: string; name: string | null }; extraTokens: number } {
  const inParentheses = next === undefined ? undefined : /^\((.+)\)$/.exec(next)?.[1];
  if (inParentheses === undefined) return { responder: { address: checkIpAddress(token, line), name: null }, extraTokens: 0 };
  const address = checkIpAddress(inParentheses, line);
  return { responder: { address, name: token === address ? null : token }, extraTokens: 1 };
}

function checkIpAddress(text: string, line: number): string {
  const isIpv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
  const isIpv6 = /^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(text) && (text.match(/:/g)?.length ?? 0) >= 2;
  if (!isIpv4 && !isIpv6) throw new ParseError(line, `expected an address or "NAME (ADDRESS)", got ${quote(text)}`);
  return text;
}
