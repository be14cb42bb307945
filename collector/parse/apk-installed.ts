// Alpine's database of installed packages, /lib/apk/db/installed: one stanza per package, stanzas
// separated by blank lines, each line a one-letter field, a colon and the value (apk-package(5)):
//   C:Q1myMNfd7u5v5UTgNHeq1e31qTjZU=
//   P:alpine-baselayout          name
//   V:3.2.0-r6                   version
//   A:x86_64                     architecture
//   t:1590679557                 build time
//   F:etc                        then the package's directories (F), files (R), checksums (Z), ...
// Every stanza is an installed package. apk records when a package was built (t:), not when it was
// installed, so installedAt is null.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { checkPackageCount, packageRow, requirePackages, sortPackages } from './package-rows';
import { ParseError, quote } from './parse-error';
import { isBlank, splitLines } from './text-lines';

const FIELD_LINE = /^([A-Za-z]):(.*)$/;

interface Stanza {
  line: number;
  name?: string;
  version?: string;
  arch?: string;
}

/** The packages of an installed database; none for an empty one. */
export function readApkInstalled(text: string): PackageRow[] {
  const rows: PackageRow[] = [];
  let stanza: Stanza | null = null;
  const finish = () => {
    if (stanza === null) return;
    rows.push(toRow(stanza));
    checkPackageCount(rows.length, stanza.line);
    stanza = null;
  };
  splitLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line)) return finish();
    const match = FIELD_LINE.exec(line);
    if (match === null) throw new ParseError(lineNumber, `expected "X:value" (one letter, a colon, the value), got ${quote(line)}`);
    stanza ??= { line: lineNumber };
    const [, field, value = ''] = match;
    if (field === 'P') stanza.name = value;
    if (field === 'V') stanza.version = value;
    if (field === 'A') stanza.arch = value;
  });
  finish();
  return sortPackages(rows);
}

function toRow(stanza: Stanza): PackageRow {
  if (!stanza.name) throw new ParseError(stanza.line, 'stanza has no P: (package name) line');
  if (!stanza.version) throw new ParseError(stanza.line, `package ${quote(stanza.name)} has no V: (version) line`);
  return packageRow('apk', { name: stanza.name, version: stanza.version, arch: stanza.arch || null }, stanza.line);
}

/** `--format apk-installed`: a copy of /lib/apk/db/installed. */
export function parseApkInstalled(text: string): PackageRow[] {
  return requirePackages(readApkInstalled(text), text, 'no package in this database');
}
