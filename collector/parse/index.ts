// One entry point for every tool format the collector can import; each format's parser lives in its own file.
// netstat routes to its Linux, BSD/macOS and Windows readers itself (netstat.ts).
import type { InterfaceRow, PackageRow, ProcessRow, SocketRow, TracerouteRun } from '../../lib/schemas/snapshot';
import { detectFormat } from './detect-format';
import { formatContents, type ParseFormat } from './formats';
import { parseApkInfo } from './apk-info';
import { parseApkInstalled } from './apk-installed';
import { parseDpkgList } from './dpkg-list';
import { parseDpkgQuery } from './dpkg-query';
import { parseDpkgStatus } from './dpkg-status';
import { parseIfconfig } from './ifconfig';
import { parseIpLink } from './ip-link';
import { parseLsofFields } from './lsof-fields';
import { parseLsofText } from './lsof-text';
import { parseNetstat } from './netstat';
import { ParseError } from './parse-error';
import { parsePs } from './ps';
import { parseRpmQa } from './rpm-qa';
import { parseSs } from './ss';
import { parseTraceroute } from './traceroute';

export { detectFormat } from './detect-format';
export { parseFormats, type ParseFormat } from './formats';

export interface ParsedSections {
  sockets?: SocketRow[];
  processes?: ProcessRow[];
  interfaces?: InterfaceRow[];
  traceroutes?: TracerouteRun[];
  packages?: PackageRow[];
}

export interface ParseOptions {
  /** The target of traceroute runs printed without their header (BSD and macOS print it on stderr). */
  tracerouteTarget?: string;
}

/** The sections `format` reads from `text`; a refusal says what the text is when it is another tool's output. */
export function parseToolOutput(format: ParseFormat, text: string, options: ParseOptions = {}): ParsedSections {
  try {
    return parseSections(format, text, options);
  } catch (error) {
    throw explainMismatch(error, format, text);
  }
}

/** "unknown protocol "USER"" helps nobody when the file is ps output: name what it is, where it shows. */
function explainMismatch(error: unknown, format: ParseFormat, text: string): unknown {
  if (!(error instanceof ParseError)) return error;
  const detection = detectFormat(text);
  if (detection.kind === 'foreign' && detection.line <= error.line) {
    return new ParseError(detection.line, `${detection.description}, not ${formatContents[format]}`);
  }
  if (detection.kind === 'format' && detection.format !== format && detection.isFromHeader && detection.line <= error.line) {
    return new ParseError(detection.line, `this looks like ${detection.label} output, not ${formatContents[format]} (try --format ${detection.format})`);
  }
  return error;
}

// Each format's parser, by the section its rows fill.
const socketParsers = { 'lsof-F': parseLsofFields, lsof: parseLsofText, netstat: parseNetstat, ss: parseSs };
const interfaceParsers = { ifconfig: parseIfconfig, 'ip-link': parseIpLink };
const packageParsers = {
  'rpm-qa': parseRpmQa,
  'dpkg-l': parseDpkgList,
  'dpkg-query': parseDpkgQuery,
  'dpkg-status': parseDpkgStatus,
  'apk-info': parseApkInfo,
  'apk-installed': parseApkInstalled,
};

const isFormatOf = <Parsers extends object>(parsers: Parsers, format: ParseFormat): format is Extract<keyof Parsers, ParseFormat> =>
  Object.hasOwn(parsers, format);

function parseSections(format: ParseFormat, text: string, options: ParseOptions): ParsedSections {
  if (isFormatOf(socketParsers, format)) return { sockets: socketParsers[format](text) };
  if (isFormatOf(interfaceParsers, format)) return { interfaces: interfaceParsers[format](text) };
  if (isFormatOf(packageParsers, format)) return { packages: packageParsers[format](text) };
  if (format === 'ps') return { processes: parsePs(text) };
  if (format === 'traceroute') return { traceroutes: parseTraceroute(text, { target: options.tracerouteTarget }) };
  const unparsed: never = format;
  throw new Error(`no parser for ${String(unparsed)}`);
}
