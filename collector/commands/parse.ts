// `parse`: print the snapshot sections parsed from one tool output file, or lsof -F as the WebJob CSV.
import { Command } from 'commander';
import { BadInputError } from '../exit-codes';
import { lsofFieldsToCsv } from '../parse/lsof-fields';
import { checkFormat, parseFile, parseOrExplain, readInputFile } from '../read-tool-output';

interface ParseFlags {
  format: string;
  csv?: boolean;
}

export function parseCommand(): Command {
  return new Command('parse')
    .description('print the snapshot sections parsed from FILE as JSON')
    .argument('<file>', 'tool output to parse (- for standard input)')
    .requiredOption('--format <format>', 'lsof-F, lsof, netstat, ss, ifconfig, ip-link, ps, traceroute, rpm-qa, dpkg-l, dpkg-query, dpkg-status, apk-info or apk-installed')
    .option('--csv', 'with --format lsof-F: print the pipe-delimited table of lsof-socket-out2csv.pl -h')
    .action((file: string, flags: ParseFlags) => {
      process.stdout.write(renderParsedFile(file, flags));
    });
}

export function renderParsedFile(file: string, flags: ParseFlags): string {
  const format = checkFormat(flags.format, file);
  if (flags.csv) {
    if (format !== 'lsof-F') throw new BadInputError(`${file}: --csv works only with --format lsof-F`);
    const text = readInputFile(file);
    // Printed exactly as the converter returns it: the table is compared byte for byte.
    return parseOrExplain(file, () => lsofFieldsToCsv(text));
  }
  return `${JSON.stringify(parseFile(format, file), null, 2)}\n`;
}
