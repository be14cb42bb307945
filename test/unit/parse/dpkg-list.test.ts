import { describe, expect, it } from 'vitest';
import { parseDpkgList } from '@/collector/parse/dpkg-list';
import { dpkgPatternsInstalled, dpkgStatesInstalled, expectParseError, installedPackage, readFixture } from './helpers';

const read = (name: string) => readFixture('dpkg-l', name);

// Fixtures captured on this machine (dpkg 1.21.22, LC_ALL=C):
//   debian12-patterns.txt     dpkg -l adduser base-files bash gcc-12-base 'libc6*' libgcc-s1 libssl3 libstdc++6 openssh-client openssl tzdata zlib1g
//   debian12-grep-ii.txt      dpkg -l | grep '^ii' (ten of its lines)
//   debian12-states.txt       dpkg-query --admindir DIR -l '*' over a database holding a package in every state
//   debian12-terminal-80.txt  the same on an 80-column terminal (script(1)); dpkg 1.19.1+ cuts only descriptions
// Older layouts, written from dpkg's source (querycmd.c list_format_init and its printf) and published output:
//   refused-dpkg118-cut-to-80-columns.txt  COLUMNS=80 dpkg -l on dpkg 1.18, as quoted in Apache Ambari pull request 2680
//                                          (refused: that dpkg cut names to the column without a mark)
//   dpkg115-no-arch-column.txt             dpkg before 1.16.5: no Architecture column, the old header lines

describe('parseDpkgList', () => {
  it('reads this machine\'s dpkg -l: arch-qualified names split, epochs kept, "un" rows (known, not installed) skipped', () => {
    expect(parseDpkgList(read('debian12-patterns.txt'))).toEqual(dpkgPatternsInstalled);
  });

  it('keeps every state whose files are on disk (ii hi ri iU iF iHR iW it) and drops rc and un', () => {
    expect(parseDpkgList(read('debian12-states.txt'))).toEqual(dpkgStatesInstalled);
  });

  it('reads the terminal layout of current dpkg, which cuts only the description', () => {
    expect(parseDpkgList(read('debian12-terminal-80.txt'))).toEqual(dpkgStatesInstalled);
  });

  it('reads lines kept by grep ^ii, without the header, telling the Architecture column by its value', () => {
    const rows = parseDpkgList(read('debian12-grep-ii.txt'));
    expect(rows).toHaveLength(10);
    expect(rows.find((row) => row.name === 'libc6')).toEqual(installedPackage('dpkg', 'libc6', '2.36-9+deb12u14', 'amd64'));
    expect(rows.find((row) => row.name === 'tzdata')).toEqual(installedPackage('dpkg', 'tzdata', '2025b-0+deb12u2', 'all'));
  });

  it('reads the layout without an Architecture column: arch null', () => {
    expect(parseDpkgList(read('dpkg115-no-arch-column.txt'))).toEqual([installedPackage('dpkg', 'nano', '1.3.10-2')]);
  });

  it('takes the architecture from a name qualifier when there is no Architecture column', () => {
    expect(parseDpkgList('ii  libc6:i386     2.36-9       GNU C Library: Shared libraries\n')).toEqual([installedPackage('dpkg', 'libc6', '2.36-9', 'i386')]);
  });

  it('refuses a listing an old dpkg cut to the terminal width, naming the cut value', () => {
    expectParseError(
      () => parseDpkgList(read('refused-dpkg118-cut-to-80-columns.txt')),
      6,
      'name "zookeeper-3-0-" fills its 14-character column: this dpkg cut long values to the terminal width; list with dpkg-query -W instead',
    );
  });

  it('refuses unknown state letters, a missing version, and lines that are not dpkg -l output', () => {
    expectParseError(() => parseDpkgList(read('malformed-state-letters.txt')), 2, /status "xx " is not dpkg's three letters/);
    expectParseError(() => parseDpkgList(read('malformed-no-version.txt')), 4, 'expected NAME and VERSION after "ii "');
    expectParseError(
      () => parseDpkgList(read('malformed-stderr-line.txt')),
      5,
      /expected a package line such as "ii {2}NAME VERSION \.\.\.", got "dpkg-query: no packages/,
    );
  });

  it('refuses a listing with no installed package, and empty input', () => {
    expectParseError(() => parseDpkgList('rc  openssh-server 1:9.2p1-2 amd64 secure shell server\n'), 1, /no installed package listed/);
    expectParseError(() => parseDpkgList('\n\n'), 0, /the output is empty/);
  });
});
