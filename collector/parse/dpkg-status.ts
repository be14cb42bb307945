// dpkg's database, /var/lib/dpkg/status (and its journal files in updates/, and `dpkg-query -s`):
// deb822 stanzas separated by blank lines, one per package and architecture, such as
//   Package: libc6
//   Status: install ok installed
//   Architecture: amd64
//   Version: 2.36-9+deb12u14
//   Description: GNU C Library: Shared libraries
//    Contains the standard libraries ...     (a continuation line starts with a space or tab)
// A Multi-Arch: same package installed for two architectures has two stanzas. dpkg records no install
// time, so installedAt is null.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { type DpkgState, isInstalledState, parseStatusField } from './dpkg-states';
import { checkPackageCount, hasWhitespace, packageRow, requirePackages, sortPackages } from './package-rows';
import { ParseError, quote } from './parse-error';
import { isBlank, isIndented } from './text-lines';

/** One stanza, whatever its state; an installed one always has a version. */
export interface DpkgRecord {
  name: string;
  arch: string | null;
  version: string | null;
  state: DpkgState;
  line: number;
}

/** The fields we read, lower-cased (deb822 field names are case-insensitive). */
type WantedField = 'package' | 'status' | 'version' | 'architecture';
const WANTED_FIELDS = new Set<string>(['package', 'status', 'version', 'architecture']);
const WANTED_FIELD_LENGTHS = new Set([...WANTED_FIELDS].map((field) => field.length));
/** Printable characters but the colon, not starting with # or - (deb822). */
const FIELD_NAME = /^[^\s:#-][^\s:]*$/;

interface Stanza {
  line: number;
  fields: Map<WantedField, { value: string; line: number }>;
}

const SPACE = 0x20;
const TAB = 0x09;

/** A printable ASCII character other than space: a line with one after its indent is not blank. */
function isVisibleAscii(code: number): boolean {
  return code > SPACE && code < 0x7f;
}

/**
 * Every stanza of a status file, in file order; throws a ParseError at the first malformed line.
 * One pass over the text, line by line as splitLines would cut it: a status file has tens of
 * thousands of lines, most of them description text that only needs to be seen to be indented.
 */
export function readDpkgRecords(text: string): DpkgRecord[] {
  const records: DpkgRecord[] = [];
  let stanza: Stanza | null = null;
  let lineNumber = 0;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const first = text.charCodeAt(start);
    const isSurelyContinuation = (first === SPACE || first === TAB) && isVisibleAscii(text.charCodeAt(start + 1));
    const line = isSurelyContinuation ? '' : text.slice(start, text.charCodeAt(end - 1) === 0x0d && end > start ? end - 1 : end);
    start = end + 1;
    lineNumber += 1;
    if (isSurelyContinuation) {
      if (stanza === null) throw new ParseError(lineNumber, 'continuation line outside a stanza');
      continue;
    }
    if (isBlank(line)) {
      if (stanza !== null) records.push(toRecord(stanza));
      stanza = null;
      continue;
    }
    if (isIndented(line)) {
      if (stanza === null) throw new ParseError(lineNumber, 'continuation line outside a stanza');
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon < 1 || !FIELD_NAME.test(name)) throw new ParseError(lineNumber, `expected "Field: value", got ${quote(line)}`);
    stanza ??= { line: lineNumber, fields: new Map() };
    // Only four fields matter; most lines are others (Depends, Description, ...), so skip them cheaply.
    const field = WANTED_FIELD_LENGTHS.has(name.length) ? name.toLowerCase() : '';
    if (!WANTED_FIELDS.has(field)) continue;
    if (stanza.fields.has(field as WantedField)) throw new ParseError(lineNumber, `duplicate ${name} field in one stanza`);
    stanza.fields.set(field as WantedField, { value: line.slice(colon + 1).trim(), line: lineNumber });
  }
  if (stanza !== null) records.push(toRecord(stanza));
  return records;
}

function toRecord(stanza: Stanza): DpkgRecord {
  const field = (name: WantedField) => stanza.fields.get(name);
  const packageField = field('package');
  if (packageField === undefined) throw new ParseError(stanza.line, 'stanza has no Package field');
  const statusField = field('status');
  if (statusField === undefined) {
    throw new ParseError(stanza.line, 'stanza has no Status field: this is a package index, not the status file');
  }
  const name = checkWord(packageField.value, 'Package', packageField.line);
  const state = parseStatusField(statusField.value, statusField.line);
  const versionField = field('version');
  if (versionField === undefined && isInstalledState(state)) {
    throw new ParseError(packageField.line, `installed package ${quote(name)} has no Version field`);
  }
  const archField = field('architecture');
  return {
    name,
    arch: archField === undefined ? null : checkWord(archField.value, 'Architecture', archField.line),
    version: versionField === undefined ? null : checkWord(versionField.value, 'Version', versionField.line),
    state,
    line: packageField.line,
  };
}

function checkWord(value: string, field: string, line: number): string {
  if (value === '' || hasWhitespace(value)) throw new ParseError(line, `${field} ${quote(value)} is not one word`);
  return value;
}

/**
 * The installed packages among `records`, read in order: a later stanza for the same package and
 * architecture replaces an earlier one, as dpkg applies its updates/ journal over the status file.
 */
export function installedDpkgPackages(records: readonly DpkgRecord[]): PackageRow[] {
  const latest = new Map<string, DpkgRecord>();
  for (const record of records) latest.set(`${record.name}\u0000${record.arch ?? ''}`, record);
  const rows: PackageRow[] = [];
  for (const record of latest.values()) {
    if (!isInstalledState(record.state) || record.version === null) continue;
    rows.push(packageRow('dpkg', { name: record.name, version: record.version, arch: record.arch }, record.line));
    checkPackageCount(rows.length, record.line);
  }
  return sortPackages(rows);
}

/** `--format dpkg-status`: a copy of /var/lib/dpkg/status, or `dpkg-query -s` output. */
export function parseDpkgStatus(text: string): PackageRow[] {
  return requirePackages(installedDpkgPackages(readDpkgRecords(text)), text, 'no installed package in these stanzas (all removed or not installed)');
}
