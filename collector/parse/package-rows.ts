// Shared by every package parser and the native reader: one row shape, one order, and one refusal
// for output that lists nothing (an empty list would tell the server every package was removed).
import type { PackageRow, PackageSource } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { packageRowProblem } from './package-row-check';
import { ParseError } from './parse-error';
import { isBlank } from './text-lines';

/** The snapshot schema's bound on the packages section. */
const MAX_PACKAGES = 100_000;

export interface PackageFields {
  name: string;
  version: string;
  arch: string | null;
  installedAt?: string | null;
}

/** A row checked against the schema; `line` is where a refusal points. */
export function packageRow(source: PackageSource, fields: PackageFields, line: number): PackageRow {
  const row: PackageRow = { name: fields.name, version: fields.version, arch: fields.arch, source, installedAt: fields.installedAt ?? null };
  const problem = packageRowProblem(row);
  if (problem !== null) throw new ParseError(line, problem);
  return row;
}

export function checkPackageCount(count: number, line: number): void {
  checkCount(count, MAX_PACKAGES, 'packages', line);
}

/**
 * The rows of a listing with one package a line: `readLine` sees each non-blank line (null: the
 * line lists no installed package); sorted, and refused past the section's bound.
 */
export function readPackageLines(lines: readonly string[], readLine: (line: string, lineNumber: number) => PackageRow | null): PackageRow[] {
  const rows: PackageRow[] = [];
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line)) return;
    const row = readLine(line, lineNumber);
    if (row === null) return;
    rows.push(row);
    checkPackageCount(rows.length, lineNumber);
  });
  return sortPackages(rows);
}

const compareText = (a: string | null, b: string | null): number => {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
};

/** Name, architecture (none first), version, then source and install time: the same list always reads the same. */
function comparePackages(a: PackageRow, b: PackageRow): number {
  return (
    compareText(a.name, b.name) ||
    compareText(a.arch, b.arch) ||
    compareText(a.version, b.version) ||
    compareText(a.source, b.source) ||
    compareText(a.installedAt, b.installedAt)
  );
}

/** Sorted, each row once (a package manager that lists a package twice says nothing more the second time). */
export function sortPackages(rows: readonly PackageRow[]): PackageRow[] {
  const sorted = [...rows].sort(comparePackages);
  return sorted.filter((row, index) => index === 0 || comparePackages(row, sorted[index - 1] as PackageRow) !== 0);
}

/**
 * Output a user imports must list at least one installed package: an empty file is a command that
 * failed, and a listing of removed packages only is not a host's inventory.
 */
export function requirePackages(rows: PackageRow[], text: string, noneInstalledReason: string): PackageRow[] {
  if (rows.length > 0) return rows;
  const firstLine = text.split('\n').findIndex((line) => line.trim() !== '') + 1;
  if (firstLine === 0) throw new ParseError(0, 'no packages: the output is empty (did the command fail?)');
  throw new ParseError(firstLine, noneInstalledReason);
}

/** `name:arch`, as dpkg qualifies Multi-Arch: same and foreign-architecture packages. */
export function splitArchQualifier(qualifiedName: string): { name: string; arch: string | null } {
  const colon = qualifiedName.indexOf(':');
  if (colon < 0) return { name: qualifiedName, arch: null };
  return { name: qualifiedName.slice(0, colon), arch: qualifiedName.slice(colon + 1) };
}

export function hasWhitespace(text: string): boolean {
  return /\s/.test(text);
}
