// `parse`: print the snapshot sections parsed from one tool output file, or lsof -F as the WebJob CSV.
import { Command } from 'commander';
import { BadInputError } from '../exit-codes';
import { lsofFieldsToCsv } from '../parse/lsof-fields';
import { parseOrExplain, readInputFile } from '../read-tool-output';
import { FORMAT_HELP, TARGET_HELP, checkFormatFlag, parseWithOptions, reportDetectedFormat, resolveFormat } from './format-option';

interface ParseFlags {
  format: string;
  csv?: boolean;
  target?: string;
}

export function parseCommand(): Command {
  return new Command('parse')
    .description('print the snapshot sections parsed from FILE as JSON')
    .argument('<file>', 'tool output to parse (- for standard input)')
    .requiredOption('--format <format>', FORMAT_HELP)
    .option(
      '--csv',
      "with --format lsof-F: print the pipe-delimited table of the WebJob recipe's lsof-socket-out2csv.pl -h, byte for byte " +
        "(fields are not neutralised against spreadsheet formulas, on purpose: the output must match the script's)",
    )
    .option('--target <host>', TARGET_HELP)
    .action((file: string, flags: ParseFlags) => {
      process.stdout.write(renderParsedFile(file, flags));
    });
}

export function renderParsedFile(file: string, flags: ParseFlags): string {
  const format = checkFormatFlag(flags.format, file);
  if (flags.csv && format !== 'lsof-F' && format !== 'auto') throw new BadInputError(`${file}: --csv works only with --format lsof-F`);
  const text = readInputFile(file);
  const resolved = resolveFormat(format, file, text);
  if (flags.csv) {
    if (resolved.format !== 'lsof-F')
      throw new BadInputError(`${file}: --csv works only with lsof -F output, and this is ${resolved.detectedLabel ?? resolved.format}`);
    reportDetectedFormat(resolved, file, false);
    // Printed exactly as the converter returns it: the table is compared byte for byte.
    return parseOrExplain(file, () => lsofFieldsToCsv(text));
  }
  const sections = parseWithOptions(resolved.format, file, text, { tracerouteTarget: flags.target });
  reportDetectedFormat(resolved, file, false);
  return `${JSON.stringify(sections, null, 2)}\n`;
}
