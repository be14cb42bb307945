// Zero rows from input that is not empty is never a quiet success: "nothing listens" is the worst
// answer a security tool can give by mistake. Each parser ends with requireRows.
import { detectFormat, recognizeForeignTable } from './detect-format';
import { formatContents, type ParseFormat } from './formats';
import { ParseError } from './parse-error';
import { isBlank, splitLines } from './text-lines';

/**
 * `rows`, or a ParseError saying what the input is instead: another tool's output, a table no parser
 * reads, or this tool's output with nothing in it (`emptyReason`, from the parser that knows why).
 */
export function requireRows<T>(rows: T[], text: string, format: ParseFormat, emptyReason: string): T[] {
  if (rows.length > 0 || isBlank(text)) return rows;
  const detection = detectFormat(text);
  if (detection.kind === 'foreign') throw new ParseError(detection.line, `${detection.description}, not ${formatContents[format]}`);
  if (detection.kind === 'format' && detection.format !== format) {
    throw new ParseError(detection.line, `this looks like ${detection.label} output, not ${formatContents[format]} (try --format ${detection.format})`);
  }
  throw new ParseError(firstContentLine(text), emptyReason);
}

/** The ParseError for a line a parser cannot read that heads a table no parser reads; null for any other line. */
export function foreignTableError(line: string, lineNumber: number, format: ParseFormat): ParseError | null {
  const description = recognizeForeignTable(line);
  return description === null ? null : new ParseError(lineNumber, `${description}, not ${formatContents[format]}`);
}

function firstContentLine(text: string): number {
  const index = splitLines(text).findIndex((line) => !isBlank(line));
  return index < 0 ? 0 : index + 1;
}
