// `dpkg -l` (`dpkg-query -l`):
//   Desired=Unknown/Install/Remove/Purge/Hold
//   | Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend
//   |/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)
//   ||/ Name              Version      Architecture Description
//   +++-=================-============-============-==========================
//   ii  libc6:amd64       2.36-9       amd64        GNU C Library: Shared libraries
//   rc  old-tool          1.0-1        amd64        removed, its configuration files remain
// The three letters are the selection, the state and the error flag (dpkg-states.ts says which states
// count). dpkg before 1.16.5 printed no Architecture column. The header lines are translated in other
// locales, so only the ruler line (+++-===) is relied on; output piped through `grep ^ii` has none
// and is read all the same.
//
// Cut cells: dpkg up to 1.19.0 fitted the columns to the terminal (or $COLUMNS) and cut longer names
// and versions to the column without a mark (printf "%-14.14s"). Since 1.19.1 the columns fit the
// longest value (dpkg's changelog, #898603). A listing whose column widths follow the terminal formula, and a name or version that
// fills its column, is refused: the value may be cut, and a cut name is another package.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { isInstalledState, parseStateLetters } from './dpkg-states';
import { packageRow, readPackageLines, requirePackages, splitArchQualifier } from './package-rows';
import { ParseError, quote } from './parse-error';
import { splitLines, splitWords } from './text-lines';

const RULER = /^\+\+\+(?:-=+){3,4}$/;
const PACKAGE_LINE = /^[a-zA-Z][a-zA-Z][ A-Z] /;

/**
 * Debian architecture names (dpkg's cputable and tupletable, and `all`): without a ruler line, they
 * tell an Architecture column from the first word of a description.
 */
const DEBIAN_ARCHITECTURES = new Set([
  'all',
  'alpha',
  'amd64',
  'arc',
  'arm',
  'arm64',
  'armeb',
  'armel',
  'armhf',
  'avr32',
  'hppa',
  'i386',
  'ia64',
  'loong64',
  'm32r',
  'm68k',
  'mips',
  'mips64',
  'mips64el',
  'mips64r6',
  'mips64r6el',
  'mipsel',
  'mipsn32',
  'mipsn32el',
  'mipsr6',
  'mipsr6el',
  'nios2',
  'or1k',
  'powerpc',
  'powerpcel',
  'powerpcspe',
  'ppc64',
  'ppc64el',
  'riscv64',
  's390',
  's390x',
  'sh3',
  'sh3eb',
  'sh4',
  'sh4eb',
  'sparc',
  'sparc64',
  'x32',
  'hurd-i386',
  'hurd-amd64',
  'kfreebsd-i386',
  'kfreebsd-amd64',
  'musl-linux-amd64',
  'musl-linux-arm64',
  'uclibc-linux-amd64',
]);

interface Layout {
  /** Widths of the name, version and (when printed) architecture columns, from the ruler line. */
  widths: number[];
  hasArchColumn: boolean;
  /** The widths follow dpkg's terminal formula: cells that fill their column may be cut. */
  isCutToTerminal: boolean;
}

export function parseDpkgList(text: string): PackageRow[] {
  let layout: Layout | null = null;
  const rows = readPackageLines(splitLines(text), (line, lineNumber) => {
    if (RULER.test(line)) {
      layout = readRuler(line);
      return null;
    }
    if (!PACKAGE_LINE.test(line)) {
      // Header lines, translated or not, come before the ruler; anything else is not dpkg -l output.
      if (layout === null) return null;
      throw new ParseError(lineNumber, `expected a package line such as "ii  NAME VERSION ...", got ${quote(line)}`);
    }
    return parsePackageLine(line, layout, lineNumber);
  });
  return requirePackages(rows, text, 'no installed package listed (only removed "rc" or unknown "un" rows)');
}

/** `+++-====-====-====-====`: status, name, version, [architecture,] description. */
function readRuler(line: string): Layout {
  const widths = line
    .slice(4)
    .split('-')
    .map((segment) => segment.length);
  const hasArchColumn = widths.length === 4;
  const columns = widths.slice(0, -1);
  const descriptionWidth = widths.at(-1) ?? 0;
  return { widths: columns, hasArchColumn, isCutToTerminal: followsTerminalFormula(columns, descriptionWidth, hasArchColumn) };
}

/**
 * dpkg 1.16.5–1.19.0: extra = (COLUMNS − 80) / 2; name 14 + extra/2, version and architecture 12 + extra/4,
 * description 33 + extra. dpkg before 1.16.5: extra = (COLUMNS − 80) / 4; name and version 14 + extra,
 * description 44 + 2·extra. (dpkg-query's list_format_init.)
 */
function followsTerminalFormula(columns: number[], descriptionWidth: number, hasArchColumn: boolean): boolean {
  const [name = 0, version = 0, arch = 0] = columns;
  if (hasArchColumn) {
    const extra = descriptionWidth - 33;
    return extra >= 0 && name === 14 + Math.floor(extra / 2) && version === 12 + Math.floor(extra / 4) && arch === version;
  }
  const extra = (descriptionWidth - 44) / 2;
  return Number.isInteger(extra) && extra >= 0 && name === 14 + extra && version === name;
}

function parsePackageLine(line: string, layout: Layout | null, lineNumber: number): PackageRow | null {
  const state = parseStateLetters(line.slice(0, 3), lineNumber);
  const [qualifiedName = '', version = '', third] = splitWords(line.slice(3));
  if (!isInstalledState(state)) return null;
  if (version === '') throw new ParseError(lineNumber, `expected NAME and VERSION after ${quote(line.slice(0, 3))}`);
  const hasArchColumn = layout === null ? third !== undefined && DEBIAN_ARCHITECTURES.has(third) : layout.hasArchColumn;
  const archColumn = hasArchColumn ? (third ?? null) : null;
  if (layout?.isCutToTerminal) {
    checkNotCut(qualifiedName, 'name', layout.widths[0], lineNumber);
    checkNotCut(version, 'version', layout.widths[1], lineNumber);
    if (archColumn !== null) checkNotCut(archColumn, 'architecture', layout.widths[2], lineNumber);
  }
  const { name, arch: qualifier } = splitArchQualifier(qualifiedName);
  return packageRow('dpkg', { name, version, arch: archColumn ?? qualifier }, lineNumber);
}

function checkNotCut(value: string, what: string, width: number | undefined, lineNumber: number): void {
  if (width === undefined || value.length < width) return;
  throw new ParseError(
    lineNumber,
    `${what} ${quote(value)} fills its ${width}-character column: this dpkg cut long values to the terminal width; list with dpkg-query -W instead`,
  );
}
