import { describe, expect, it } from 'vitest';
import { parseApkInfo } from '@/collector/parse/apk-info';
import { parseApkInstalled, readApkInstalled } from '@/collector/parse/apk-installed';
import { expectParseError, installedPackage, readFixture } from './helpers';

const apk = (name: string, version: string, arch: string | null = null) => installedPackage('apk', name, version, arch);

// No Alpine here, so these fixtures are written, not captured:
//   apk-info/alpine319-v.txt, -vv.txt  the packages of an alpine:3.19 image as `apk info -v` and `-vv`
//                                      print them (app_info.c verbose_print_pkg: name, "-" version,
//                                      " - " description), plus font-adobe-100dpi, a name with "-digit"
//   apk-installed/alpine319-installed.txt  stanzas in the layout of apk-package(5) and real databases;
//                                      checksums, commits and build times are placeholders

describe('parseApkInfo', () => {
  it('splits NAME-VERSION at the last dash before a digit, passing over -rN: names with digits, _git versions', () => {
    const rows = parseApkInfo(readFixture('apk-info', 'alpine319-v.txt'));
    expect(rows).toHaveLength(16);
    expect(rows.filter((row) => ['font-adobe-100dpi', 'libcrypto3', 'musl', 'ca-certificates-bundle'].includes(row.name))).toEqual([
      apk('ca-certificates-bundle', '20230506-r0'),
      apk('font-adobe-100dpi', '1.0.3-r3'),
      apk('libcrypto3', '3.1.4-r1'),
      apk('musl', '1.2.4_git20230717-r4'),
    ]);
  });

  it('reads apk info -vv, dropping the description', () => {
    expect(parseApkInfo(readFixture('apk-info', 'alpine319-vv.txt'))).toEqual([
      apk('busybox', '1.36.1-r15'),
      apk('musl', '1.2.4_git20230717-r4'),
      apk('zlib', '1.3-r2'),
    ]);
  });

  it('refuses names without versions (apk info without -v) and apk list output', () => {
    expectParseError(() => parseApkInfo(readFixture('apk-info', 'malformed-names-only.txt')), 1, /apk info -v, not apk info\), got "alpine-baselayout"/);
    expectParseError(() => parseApkInfo(readFixture('apk-info', 'malformed-list-installed.txt')), 1, /expected NAME-VERSION \(apk info -v\)/);
    expectParseError(() => parseApkInfo(''), 0, /the output is empty/);
  });
});

describe('parseApkInstalled', () => {
  it('reads P:, V: and A: of every stanza; build time (t:) is not an install time', () => {
    expect(parseApkInstalled(readFixture('apk-installed', 'alpine319-installed.txt'))).toEqual([
      apk('alpine-baselayout', '3.4.3-r2', 'x86_64'),
      apk('busybox', '1.36.1-r15', 'x86_64'),
      apk('ca-certificates-bundle', '20230506-r0', 'x86_64'),
      apk('font-adobe-100dpi', '1.0.3-r3', 'noarch'),
      apk('musl', '1.2.4_git20230717-r4', 'x86_64'),
    ]);
  });

  it('refuses stanzas without name or version, and lines that are not fields', () => {
    expectParseError(() => parseApkInstalled(readFixture('apk-installed', 'malformed-no-name.txt')), 5, 'stanza has no P: (package name) line');
    expectParseError(() => parseApkInstalled(readFixture('apk-installed', 'malformed-no-version.txt')), 1, 'package "musl" has no V: (version) line');
    expectParseError(() => parseApkInstalled(readFixture('apk-installed', 'malformed-line.txt')), 4, /expected "X:value"/);
  });

  it('refuses an empty file for import; the native reader takes it as nothing installed', () => {
    expectParseError(() => parseApkInstalled('\n'), 0, /the output is empty/);
    expect(readApkInstalled('')).toEqual([]);
  });
});
