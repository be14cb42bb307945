// Reading and parsing tool output files with the error wording the CLI contract asks for:
// one line, `FILE:LINE: reason`, exit code 2.
import { readFileSync } from 'node:fs';
import { BadInputError } from './exit-codes';
import { parseToolOutput } from './parse/index';
import { ParseError } from './parse/parse-error';
import { describeReadError } from './read-error';

export type ParsedSections = ReturnType<typeof parseToolOutput>;

/** The text of FILE, or of standard input for `-`. */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new BadInputError(`${file}: ${describeReadError(error)}`);
  }
}

/** Runs a parser, turning its failure into the one-line `FILE:LINE: reason` error. */
export function parseOrExplain<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ParseError) {
      const where = error.line > 0 ? `${file}:${error.line}` : file;
      throw new BadInputError(`${where}: ${error.reason}`);
    }
    // A parser that throws anything else still met input it could not read: say so, same shape.
    throw new BadInputError(`${file}: could not parse (${error instanceof Error ? error.message : String(error)})`);
  }
}
