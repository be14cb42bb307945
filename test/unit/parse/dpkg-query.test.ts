import { describe, expect, it } from 'vitest';
import { parseDpkgQuery } from '@/collector/parse/dpkg-query';
import { dpkgPatternsInstalled, dpkgStatesInstalled, expectParseError, installedPackage, readFixture } from './helpers';

const read = (name: string) => readFixture('dpkg-query', name);

// Fixtures captured on this machine (dpkg 1.21.22, LC_ALL=C), PATTERNS being the package list of
// dpkg-list.test.ts's debian12-patterns.txt:
//   debian12-default.txt                 dpkg-query -W PATTERNS
//   debian12-with-arch.txt               dpkg-query -W -f '${binary:Package}\t${Version}\t${Architecture}\n' PATTERNS
//   debian12-package-space-version.txt   dpkg-query -W -f '${Package} ${Version}\n' PATTERNS
// and over the database holding a package in every state (dpkg-query --admindir DIR):
//   debian12-states-default.txt          -W
//   debian12-states-abbrev.txt           -W -f '${db:Status-Abbrev}\t${binary:Package}\t${Version}\t${Architecture}\n'
//   debian12-states-status-words.txt     -W -f '${Status} ${Package} ${Version} ${Architecture}\n'
//   debian12-named-not-installed.txt     -W apache2 adduser nginx (apache2 is known but not installed)

/** What a listing without an architecture column knows: the qualifier of Multi-Arch: same packages only. */
const withoutUnqualifiedArch = (rows: typeof dpkgPatternsInstalled, qualified: string[]) =>
  rows.map((row) => (qualified.includes(row.name) ? row : { ...row, arch: null }));

describe('parseDpkgQuery', () => {
  it('reads the default format: arch from the name qualifier only, packages dpkg knows but lacks ("name\\t") skipped', () => {
    const qualified = ['gcc-12-base', 'libc6', 'libc6-dbg', 'libc6-dev', 'libgcc-s1', 'libssl3', 'libstdc++6', 'zlib1g'];
    expect(parseDpkgQuery(read('debian12-default.txt'))).toEqual(withoutUnqualifiedArch(dpkgPatternsInstalled, qualified));
  });

  it('reads -f with ${Architecture}', () => {
    expect(parseDpkgQuery(read('debian12-with-arch.txt'))).toEqual(dpkgPatternsInstalled);
  });

  it('reads a space-separated -f, where a package without version ends in a space', () => {
    expect(parseDpkgQuery(read('debian12-package-space-version.txt'))).toEqual(dpkgPatternsInstalled.map((row) => ({ ...row, arch: null })));
  });

  it('tells installed from removed packages by ${db:Status-Abbrev} or ${Status}', () => {
    expect(parseDpkgQuery(read('debian12-states-abbrev.txt'))).toEqual(dpkgStatesInstalled);
    expect(parseDpkgQuery(read('debian12-states-status-words.txt'))).toEqual(dpkgStatesInstalled);
  });

  it('cannot tell removed packages without a state column: the default format lists rc packages as installed', () => {
    const rows = parseDpkgQuery(read('debian12-states-default.txt'));
    expect(rows.map((row) => row.name)).toContain('openssh-server');
    expect(rows).toHaveLength(dpkgStatesInstalled.length + 1);
  });

  it('skips a package named on the command line that is not installed', () => {
    expect(parseDpkgQuery(read('debian12-named-not-installed.txt'))).toEqual([
      installedPackage('dpkg', 'adduser', '3.134'),
      installedPackage('dpkg', 'nginx', '1.22.1-9'),
    ]);
  });

  it('reads a package called like a state ("rc") in the default format', () => {
    expect(parseDpkgQuery('rc\t1.7.4-1\nadduser\t3.134\n')).toEqual([installedPackage('dpkg', 'adduser', '3.134'), installedPackage('dpkg', 'rc', '1.7.4-1')]);
  });

  it('refuses extra columns, a line without the state column the first line had, and empty output', () => {
    expectParseError(() => parseDpkgQuery(read('malformed-extra-column.txt')), 2, /expected NAME, VERSION and optionally ARCHITECTURE/);
    expectParseError(() => parseDpkgQuery(read('malformed-state-missing.txt')), 2, /expected a state such as "ii " or "install ok installed" first/);
    expectParseError(() => parseDpkgQuery(''), 0, /the output is empty/);
    expectParseError(() => parseDpkgQuery('rc \topenssh-server\t1:9.2p1-2\tamd64\n'), 1, /no installed package listed/);
  });
});
