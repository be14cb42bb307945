// `dpkg-query -W` (`dpkg-query --show`): by default one line per package, "${binary:Package}\t${Version}"
// (plain "${Package}" before dpkg 1.16.2), the name qualified with ":arch" for Multi-Arch: same and
// foreign-architecture packages:
//   adduser	3.134
//   libc6:amd64	2.36-9+deb12u14
// Also read: -f variants that add the architecture and put the state first, separated by tabs or spaces:
//   -f '${binary:Package}\t${Version}\t${Architecture}\n'
//   -f '${db:Status-Abbrev}\t${binary:Package}\t${Version}\t${Architecture}\n'      ii 	libc6:amd64	...
//   -f '${Status}\t${Package}\t${Version}\t${Architecture}\n'                       install ok installed	...
// Without a state column every listed package is taken as installed, and -W lists removed packages
// whose configuration files remain (rc) too: add ${db:Status-Abbrev} to tell them apart. A package
// named on the command line but not installed prints an empty version and is skipped.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { type DpkgState, isInstalledState, parseStateLetters, parseStatusField } from './dpkg-states';
import { packageRow, readPackageLines, requirePackages, splitArchQualifier } from './package-rows';
import { ParseError, quote } from './parse-error';
import { splitLines } from './text-lines';

/** `install ok installed` or `ii ` at the start of a line, then its separator. */
const STATE_COLUMN = /^(?:((?:unknown|install|hold|deinstall|purge) (?:ok|reinstreq|hold|hold-reinstreq) [a-z-]+)|([uihrp][ncHUFWti][ RHX]))(?:[\t ]+|$)/;

export function parseDpkgQuery(text: string): PackageRow[] {
  let hasStateColumn: boolean | null = null;
  const rows = readPackageLines(splitLines(text), (line, lineNumber) => {
    // The first line decides: a package may be called "rc", but a state column is in every line or none.
    hasStateColumn ??= startsWithStateColumn(line);
    return parseLine(line, hasStateColumn, lineNumber);
  });
  return requirePackages(rows, text, 'no installed package listed (every line has a removed or not-installed state)');
}

function startsWithStateColumn(line: string): boolean {
  const match = STATE_COLUMN.exec(line);
  return (
    match !== null &&
    line
      .slice(match[0].length)
      .trim()
      .split(/[\t ]+/).length >= 2
  );
}

function parseLine(line: string, hasStateColumn: boolean, lineNumber: number): PackageRow | null {
  let rest = line;
  let state: DpkgState = 'installed';
  if (hasStateColumn) {
    const match = STATE_COLUMN.exec(line);
    if (match === null) throw new ParseError(lineNumber, `expected a state such as "ii " or "install ok installed" first, got ${quote(line)}`);
    state = match[1] === undefined ? parseStateLetters(match[2] ?? '', lineNumber) : parseStatusField(match[1], lineNumber);
    rest = line.slice(match[0].length);
  }
  const [qualifiedName = '', version, arch, ...extra] = splitFields(rest);
  if (qualifiedName === '' || version === undefined || extra.length > 0) {
    throw new ParseError(lineNumber, `expected NAME, VERSION and optionally ARCHITECTURE, got ${quote(line)}`);
  }
  // An empty version: a package dpkg knows of but that is not installed ("name\t").
  if (version === '' || !isInstalledState(state)) return null;
  const { name, arch: qualifier } = splitArchQualifier(qualifiedName);
  return packageRow('dpkg', { name, version, arch: arch || qualifier }, lineNumber);
}

/**
 * Tab-separated fields keep their empty values; a format without tabs is split at runs of spaces,
 * where an empty version leaves a trailing space ("name ").
 */
function splitFields(text: string): string[] {
  const fields = text.includes('\t') ? text.split('\t').map((field) => field.trim()) : text.replace(/^ +/, '').split(/ +/);
  while (fields.length > 2 && fields.at(-1) === '') fields.pop();
  return fields;
}
