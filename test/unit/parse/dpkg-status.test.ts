import { describe, expect, it } from 'vitest';
import { installedDpkgPackages, parseDpkgStatus, readDpkgRecords } from '@/collector/parse/dpkg-status';
import { dpkgStatesInstalled, expectParseError, installedPackage, readFixture } from './helpers';

const read = (name: string) => readFixture('dpkg-status', name);

// Fixtures: `dpkg-query -s adduser libc6:amd64 openssh-client zlib1g:amd64 tzdata` on this machine
// (the stanzas of /var/lib/dpkg/status as they are), and `dpkg-query --admindir DIR --status` over the
// database written to hold a package in every state (see dpkgStatesInstalled).

describe('parseDpkgStatus', () => {
  it('reads real status stanzas: multi-line descriptions, conffiles, epochs in versions; no install time', () => {
    expect(parseDpkgStatus(read('debian12-dpkg-query-s.txt'))).toEqual([
      installedPackage('dpkg', 'adduser', '3.134', 'all'),
      installedPackage('dpkg', 'libc6', '2.36-9+deb12u14', 'amd64'),
      installedPackage('dpkg', 'openssh-client', '1:9.2p1-2+deb12u6', 'amd64'),
      installedPackage('dpkg', 'tzdata', '2025b-0+deb12u2', 'all'),
      installedPackage('dpkg', 'zlib1g', '1:1.2.13.dfsg-1', 'amd64'),
    ]);
  });

  it('keeps packages whose files are on disk in any state, and drops removed (config-files) ones', () => {
    expect(parseDpkgStatus(read('debian12-states.txt'))).toEqual(dpkgStatesInstalled);
  });

  it('lists both architectures of a Multi-Arch: same package', () => {
    const libc6 = parseDpkgStatus(read('debian12-states.txt')).filter((row) => row.name === 'libc6');
    expect(libc6.map((row) => row.arch)).toEqual(['amd64', 'i386']);
  });

  it('reads field names in any case, a last stanza without a final newline, and blank lines of spaces', () => {
    const text = 'package: zsh\nSTATUS: install ok installed\nversion: 5.9-4+b2\n   \nPackage: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b8';
    expect(parseDpkgStatus(text)).toEqual([installedPackage('dpkg', 'bash', '5.2.15-2+b8'), installedPackage('dpkg', 'zsh', '5.9-4+b2')]);
  });

  it('refuses a package index (no Status field), a bad state, a line that is no field, and a duplicate field', () => {
    expectParseError(() => parseDpkgStatus(read('malformed-packages-index.txt')), 1, /no Status field: this is a package index/);
    expectParseError(() => parseDpkgStatus(read('malformed-status-word.txt')), 6, /Status "install ok wobbly" is not "WANT FLAG STATE"/);
    expectParseError(() => parseDpkgStatus(read('malformed-line.txt')), 4, 'expected "Field: value", got "this line is not a field"');
    expectParseError(() => parseDpkgStatus('Package: a\nStatus: install ok installed\nVersion: 1\nVersion: 2\n'), 4, 'duplicate Version field in one stanza');
    expectParseError(() => parseDpkgStatus('Package: a\nStatus: install ok installed\n'), 1, 'installed package "a" has no Version field');
  });

  it('refuses input that lists no installed package, saying why', () => {
    expectParseError(() => parseDpkgStatus(''), 0, /the output is empty/);
    expectParseError(() => parseDpkgStatus('\nPackage: old\nStatus: deinstall ok config-files\nVersion: 1\n'), 2, /no installed package/);
  });
});

describe('installedDpkgPackages', () => {
  it('lets a later stanza replace an earlier one of the same package and architecture, as the updates/ journal does', () => {
    const status = readDpkgRecords('Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-9\n');
    const journal = readDpkgRecords('Package: nginx\nStatus: install ok half-configured\nArchitecture: amd64\nVersion: 1.22.1-9+deb12u1\n');
    expect(installedDpkgPackages([...status, ...journal])).toEqual([installedPackage('dpkg', 'nginx', '1.22.1-9+deb12u1', 'amd64')]);
    const removal = readDpkgRecords('Package: nginx\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.22.1-9\n');
    expect(installedDpkgPackages([...status, ...removal])).toEqual([]);
  });

  it('is empty, not an error, for a database with nothing installed', () => {
    expect(installedDpkgPackages(readDpkgRecords(''))).toEqual([]);
  });
});
