// `--format`: a tool format, or `auto` (the default of `import`), which names the format it chose on
// stderr, one line (`auto: netstat (Windows)`), and still exits 0.
import { BadInputError } from '../exit-codes';
import { detectFormat, type ParseFormat, parseFormats, type ParseOptions, parseToolOutput } from '../parse/index';
import { type ParsedSections, parseOrExplain } from '../read-tool-output';

const FORMAT_CHOICES = `${parseFormats.join(', ')}, auto`;
export const FORMAT_HELP = `auto (detect), ${parseFormats.slice(0, -1).join(', ')} or ${parseFormats.at(-1)}`;
export const TARGET_HELP = 'the target of traceroute runs printed without their "traceroute to" line (BSD and macOS print it on stderr)';

export interface ResolvedFormat {
  format: ParseFormat;
  /** What `auto` chose, for the stderr line; null when the format was given. */
  detectedLabel: string | null;
}

/** A format named by --format, or `auto` (also when none is given); checked before any file is read. */
export function checkFormatFlag(flag: string | undefined, file: string): ParseFormat | 'auto' {
  if (flag === undefined || flag === 'auto') return 'auto';
  if ((parseFormats as readonly string[]).includes(flag)) return flag as ParseFormat;
  throw new BadInputError(`${file}: unknown format "${flag}" (expected one of ${FORMAT_CHOICES})`);
}

export function resolveFormat(format: ParseFormat | 'auto', file: string, text: string): ResolvedFormat {
  if (format !== 'auto') return { format, detectedLabel: null };
  if (text.trim() === '') throw new BadInputError(`${file}: empty input: nothing to recognise (pass --format)`);
  const detection = detectFormat(text);
  if (detection.kind === 'foreign') {
    throw new BadInputError(`${file}:${detection.line}: ${detection.description}, not a format the collector reads`);
  }
  if (detection.kind === 'unknown') {
    throw new BadInputError(`${file}: cannot tell which tool printed this (pass --format: one of ${FORMAT_CHOICES})`);
  }
  return { format: detection.format, detectedLabel: detection.label };
}

/** The `auto: ...` line on stderr, the file named when several are read. */
export function reportDetectedFormat(resolved: ResolvedFormat, file: string, isOneOfSeveral: boolean): void {
  if (resolved.detectedLabel === null) return;
  process.stderr.write(`auto: ${isOneOfSeveral ? `${file}: ` : ''}${resolved.detectedLabel}\n`);
}

export function parseWithOptions(format: ParseFormat, file: string, text: string, options: ParseOptions): ParsedSections {
  return parseOrExplain(file, () => parseToolOutput(format, text, options));
}
