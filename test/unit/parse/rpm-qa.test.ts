import { describe, expect, it } from 'vitest';
import { parseRpmQa, readRpmPackages } from '@/collector/parse/rpm-qa';
import { expectParseError, installedPackage, readFixture } from './helpers';

const read = (name: string) => readFixture('rpm-qa', name);
const rpm = (name: string, version: string, arch: string | null = null, installedAt: string | null = null) =>
  installedPackage('rpm', name, version, arch, installedAt);

// No rpm here (Debian), so these fixtures are written, not captured: lines in the forms rpm's
// %{nvra} and %{nevra} tag extensions print (lib/tagexts.c getNEVRA: the epoch only when the header
// has one, the ".arch" only when it has an ARCH tag, which gpg-pubkey headers lack), with package
// names and versions as published from real hosts:
//   centos7-qa.txt                    rpm -qa on CentOS/RHEL 7 (rpm 4.11: %_query_all_fmt %{nvra}), in rpm's own order
//   rhel5-qa-no-arch.txt              rpm -qa on RHEL 5 (%{name}-%{version}-%{release}: multilib packages print twice)
//   rhel9-qf-nevra.txt                rpm -qa --qf '%{nevra}\n'
//   rhel9-collector-queryformat.txt   rpm -qa --queryformat RPM_QUERY_FORMAT, what the native reader runs
//   malformed-last.txt                rpm -qa --last (a date after each package)

describe('parseRpmQa', () => {
  it('reads rpm -qa (NAME-VERSION-RELEASE.ARCH): dashes and digits in names, dots in releases, two kernels, signing keys', () => {
    expect(parseRpmQa(read('centos7-qa.txt'))).toEqual([
      rpm('Red_Hat_Enterprise_Linux-Release_Notes-7-en-US', '7-2.el7', 'noarch'),
      rpm('bash', '4.2.46-30.el7', 'x86_64'),
      rpm('binutils', '2.27-27.base.el7', 'x86_64'),
      rpm('glibc', '2.17-222.el7', 'i686'),
      rpm('glibc', '2.17-222.el7', 'x86_64'),
      rpm('gpg-pubkey', '2fa658e0-45700c69'),
      rpm('gpg-pubkey', 'fd431d51-4ae0493b'),
      rpm('kernel', '3.10.0-862.3.2.el7', 'x86_64'),
      rpm('kernel', '3.10.0-862.el7', 'x86_64'),
      rpm('linux-firmware', '20180220-62.git6d51311.el7', 'noarch'),
      rpm('lshw', 'B.02.18-12.el7', 'x86_64'),
      rpm('ncurses-libs', '5.9-14.20130511.el7_4', 'x86_64'),
      rpm('openssh-clients', '7.4p1-16.el7', 'x86_64'),
      rpm('openssh-server', '7.4p1-16.el7', 'x86_64'),
      rpm('openssl-libs', '1.0.2k-12.el7', 'x86_64'),
      rpm('redhat-release-server', '7.5-8.el7', 'x86_64'),
      rpm('rpm-python', '4.11.3-32.el7', 'x86_64'),
      rpm('setup', '2.8.71-9.el7', 'noarch'),
      rpm('sysvinit-tools', '2.88-14.dsf.el7', 'x86_64'),
      rpm('tzdata', '2018c-1.el7', 'noarch'),
    ]);
  });

  it('reads the old form without architecture: the release keeps its dots, a package printed twice is one row', () => {
    expect(parseRpmQa(read('rhel5-qa-no-arch.txt'))).toEqual([
      rpm('bash', '3.2-33.el5'),
      rpm('glibc', '2.5-123.el5_11.1'),
      rpm('gpg-pubkey', '37017186-45761324'),
      rpm('kernel', '2.6.18-419.el5'),
      rpm('openssh-server', '4.3p2-82.el5'),
    ]);
  });

  it('reads %{nevra}: the epoch stays in the version, where rpm prints it', () => {
    expect(parseRpmQa(read('rhel9-qf-nevra.txt'))).toEqual([
      rpm('bash', '5.1.8-9.el9', 'x86_64'),
      rpm('gpg-pubkey', '5a6340b3-6229229e'),
      rpm('gpg-pubkey', 'fd431d51-4ae0493b'),
      rpm('openssl', '1:3.0.7-27.el9', 'x86_64'),
      rpm('openssl-libs', '1:3.0.7-27.el9', 'x86_64'),
    ]);
  });

  it("reads the collector's own query format: epoch only when set, no architecture for (none), install time", () => {
    expect(parseRpmQa(read('rhel9-collector-queryformat.txt'))).toEqual([
      rpm('bash', '5.1.8-9.el9', 'x86_64', '2024-04-25T12:02:01.000Z'),
      rpm('glibc', '2.34-100.el9_4.2', 'i686', '2024-05-22T13:14:50.000Z'),
      rpm('glibc', '2.34-100.el9_4.2', 'x86_64', '2024-05-22T13:14:48.000Z'),
      rpm('gpg-pubkey', 'fd431d51-4ae0493b', null, '2024-04-25T12:01:40.000Z'),
      rpm('kernel-core', '5.14.0-362.8.1.el9_3', 'x86_64', '2024-04-25T12:02:24.000Z'),
      rpm('kernel-core', '5.14.0-427.13.1.el9_4', 'x86_64', '2024-05-22T13:15:07.000Z'),
      rpm('openssl-libs', '1:3.0.7-27.el9', 'x86_64', '2024-04-25T12:02:10.000Z'),
    ]);
  });

  it('writes an explicit epoch 0, as rpm does', () => {
    expect(parseRpmQa('perl-Foo\t0\t1.2\t3.el9\tnoarch\t1714046521\n')).toEqual([rpm('perl-Foo', '0:1.2-3.el9', 'noarch', '2024-04-25T12:02:01.000Z')]);
  });

  it('refuses --last output, a wrong field count, a line without release, and a bad epoch', () => {
    expectParseError(
      () => parseRpmQa(read('malformed-last.txt')),
      1,
      /expected NAME-VERSION-RELEASE\.ARCH, got .* \(rpm -qa without --last or --queryformat\)/,
    );
    expectParseError(() => parseRpmQa(read('malformed-queryformat-fields.txt')), 2, /expected 6 tab-separated fields .*, got 5/);
    expectParseError(() => parseRpmQa(read('malformed-no-release.txt')), 2, 'expected NAME-VERSION-RELEASE.ARCH, got "openssl"');
    expectParseError(() => parseRpmQa(read('malformed-epoch.txt')), 1, 'epoch "none" is not a number');
  });

  it('refuses empty output; the native reader takes it as an empty rpm database', () => {
    expectParseError(() => parseRpmQa(''), 0, /the output is empty/);
    expect(readRpmPackages('')).toEqual([]);
  });
});
