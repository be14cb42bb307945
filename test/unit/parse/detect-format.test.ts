import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkFormatFlag, resolveFormat } from '@/collector/commands/format-option';
import { renderParsedFile } from '@/collector/commands/parse';
import { detectFormat } from '@/collector/parse/detect-format';
import { parseFormats } from '@/collector/parse/formats';
import { BadInputError } from '@/collector/exit-codes';
import { readFixture } from './helpers';

const fixturesRoot = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));

function labelOf(format: string, name: string): string {
  const detection = detectFormat(readFixture(format, name));
  if (detection.kind === 'format') return detection.label;
  return detection.kind === 'foreign' ? `foreign: ${detection.description}` : 'unknown';
}

describe('detectFormat (--format auto)', () => {
  it('recognises every shape issue 13 names, and says which dialect', () => {
    const expected: [string, string, string][] = [
      ['netstat', 'debian12-a-names.txt', 'netstat (Linux)'],
      ['netstat', 'linux-anp.txt', 'netstat (Linux)'],
      ['netstat', 'ospatrol-listen.txt', 'netstat (BSD/macOS)'],
      ['netstat', 'freebsd-an.txt', 'netstat (BSD/macOS)'],
      ['netstat', 'macos-a-names.txt', 'netstat (BSD/macOS)'],
      ['netstat', 'freebsd-An.txt', 'netstat (BSD/macOS -A)'],
      ['netstat', 'macos-Abn.txt', 'netstat (BSD/macOS -A)'],
      ['netstat', 'freebsd-aT.txt', 'netstat (BSD/macOS)'],
      ['netstat', 'freebsd-L.txt', 'netstat (BSD/macOS)'],
      ['netstat', 'windows-an.txt', 'netstat (Windows)'],
      ['netstat', 'windows-anob.txt', 'netstat (Windows)'],
      ['netstat', 'windows-plain-names.txt', 'netstat (Windows)'],
      ['netstat', 'refused-debian12-r.txt', 'foreign: a routing table (netstat -r, route)'],
      ['netstat', 'refused-debian12-ip-route.txt', 'foreign: a routing table (ip route)'],
      ['netstat', 'refused-debian12-i.txt', 'foreign: an interface statistics table (netstat -i)'],
      ['netstat', 'refused-windows-b-not-elevated.txt', 'foreign: the error Windows netstat -b prints when not run as Administrator (it lists no sockets)'],
      ['ss', 'debian12-a-names.txt', 'ss'],
      ['ss', 'linux-tuanp-no-header.txt', 'ss'],
      ['ss', 'refused-debian12-s.txt', 'foreign: a socket summary (ss -s)'],
      ['lsof', 'debian12-i-K-threads-names.txt', 'lsof'],
      ['lsof', 'webjob-seed.txt', 'lsof'],
      ['lsof-F', 'debian12-K-threads-names.out', 'lsof -F'],
      ['lsof-F', 'linux-F0.out', 'lsof -F'],
      ['ps', 'macos-ps-aux-spaces.txt', 'ps'],
      ['ps', 'linux-ps-ef.txt', 'ps'],
      ['ifconfig', 'freebsd-cidr.txt', 'ifconfig'],
      ['ifconfig', 'seed-old-net-tools.txt', 'ifconfig'],
      ['ip-link', 'debian12-ip-addr.txt', 'ip link / ip addr'],
      ['traceroute', 'debian12-localhost.txt', 'traceroute'],
      ['traceroute', 'bsd-no-header.txt', 'traceroute (hops only, no header)'],
    ];
    expect(expected.map(([format, name]) => [format, name, labelOf(format, name)])).toEqual(expected);
  });

  it('recognises package listings: a line only the tool prints decides like a header, else the first package line', () => {
    const decided = (format: string, name: string) => {
      const detection = detectFormat(readFixture(format, name));
      return detection.kind === 'format' ? [detection.label, detection.line, detection.isFromHeader] : [detection.kind];
    };
    const expected: [string, string, (string | number | boolean)[]][] = [
      ['dpkg-l', 'debian12-patterns.txt', ['dpkg -l', 1, true]], // Desired=Unknown/Install/Remove/Purge/Hold
      ['dpkg-l', 'dpkg115-no-arch-column.txt', ['dpkg -l', 1, true]],
      ['dpkg-l', 'debian12-grep-ii.txt', ['dpkg -l', 1, false]], // ii  NAME  VERSION  ARCH  DESCRIPTION
      ['dpkg-query', 'debian12-default.txt', ['dpkg-query -W', 1, false]], // NAME<TAB>VERSION
      ['dpkg-query', 'debian12-with-arch.txt', ['dpkg-query -W', 1, false]],
      ['dpkg-query', 'debian12-package-space-version.txt', ['dpkg-query -W', 1, false]],
      ['dpkg-query', 'debian12-states-abbrev.txt', ['dpkg-query -W', 1, false]],
      ['dpkg-query', 'debian12-states-status-words.txt', ['dpkg-query -W', 1, false]],
      ['dpkg-status', 'debian12-dpkg-query-s.txt', ['dpkg status (/var/lib/dpkg/status, dpkg-query -s)', 2, true]], // Status: install ok installed
      ['dpkg-status', 'malformed-packages-index.txt', ['dpkg status (/var/lib/dpkg/status, dpkg-query -s)', 1, false]], // Package: only
      ['rpm-qa', 'centos7-qa.txt', ['rpm -qa', 1, false]], // NAME-VERSION-RELEASE.ARCH
      ['rpm-qa', 'rhel5-qa-no-arch.txt', ['rpm -qa', 1, false]], // NAME-VERSION-RELEASE
      ['rpm-qa', 'rhel9-qf-nevra.txt', ['rpm -qa', 1, false]],
      ['rpm-qa', 'rhel9-collector-queryformat.txt', ['rpm -qa (--queryformat)', 1, false]],
      ['apk-info', 'alpine319-v.txt', ['apk info -v', 1, false]], // NAME-VERSION-rREL
      ['apk-info', 'alpine319-vv.txt', ['apk info -v', 1, false]],
      ['apk-installed', 'alpine319-installed.txt', ['apk database (/lib/apk/db/installed)', 1, true]], // C:Q1...
      ['apk-installed', 'malformed-no-version.txt', ['apk database (/lib/apk/db/installed)', 1, false]], // P:musl
    ];
    expect(expected.map(([format, name]) => [format, name, decided(format, name)])).toEqual(expected);
  });

  it('tells apk from rpm and dpkg-query by the shape of one line', () => {
    const formatOf = (text: string) => {
      const detection = detectFormat(text);
      return detection.kind === 'format' ? detection.format : detection.kind;
    };
    expect(formatOf('busybox-1.36.1-r15\n')).toBe('apk-info'); // apk's -rN release
    expect(formatOf('bash-5.1.8-9.el9.x86_64\n')).toBe('rpm-qa');
    expect(formatOf('lshw-B.02.18-12.el7.x86_64\n')).toBe('rpm-qa'); // a version need not start with a digit when .ARCH ends the line
    expect(formatOf('gpg-pubkey-fd431d51-4ae0493b\n')).toBe('rpm-qa');
    expect(formatOf('bash-3.2-33.el5\n')).toBe('rpm-qa');
    expect(formatOf('libc6:amd64\t2.36-9+deb12u14\n')).toBe('dpkg-query');
    expect(formatOf('ii \tlibc6:amd64\t2.36-9+deb12u14\tamd64\n')).toBe('dpkg-query');
    expect(formatOf('iHR mariadb-server 1:10.11.6-0+deb12u1 amd64 MariaDB database server binaries\n')).toBe('dpkg-l');
    expect(formatOf('iHR mariadb-server 1:10.11.6-0+deb12u1 amd64\n')).toBe('dpkg-query'); // -f '${db:Status-Abbrev} ...': no description
    expect(formatOf('bash\t(none)\t5.1.8\t9.el9\tx86_64\t1714046521\n')).toBe('rpm-qa');
    expect(formatOf('P:musl\nV:1.2.4-r2\n')).toBe('apk-installed');
  });

  it('decides a translated dpkg -l by its ruler, and names the outputs of package commands no parser reads', () => {
    const german =
      'Gewünscht=Unbekannt/Installieren/R=Entfernen/P=Vollständig Löschen/Halten\n||/ Name Version Architektur Beschreibung\n+++-====-=======-============-============\nii  bash 5.2.15-2+b8 amd64 GNU Bourne Again SHell\n';
    expect(detectFormat(german)).toMatchObject({ kind: 'format', format: 'dpkg-l', line: 2, isFromHeader: true });
    expect(
      detectFormat(
        german
          .split('\n')
          .filter((line) => !line.startsWith('||/'))
          .join('\n'),
      ),
    ).toMatchObject({ format: 'dpkg-l', line: 2, isFromHeader: true });
    expect(labelOf('rpm-qa', 'malformed-last.txt')).toBe('foreign: rpm -qa --last output (not read here: run rpm -qa without --last)');
    expect(labelOf('apk-info', 'malformed-list-installed.txt')).toBe('foreign: apk list output (not read here: run apk info -v)');
  });

  it("chooses the directory's own format for every fixture that is not a refusal", () => {
    for (const format of parseFormats) {
      const names = readdirSync(`${fixturesRoot}${format}`).filter((name) => !/^(refused|malformed)-|\.csv$|\.md$/.test(name));
      for (const name of names) {
        const detection = detectFormat(readFixture(format, name));
        expect(detection.kind === 'format' ? detection.format : detection.kind, `${format}/${name}`).toBe(format);
      }
    }
  });

  it('knows nothing of text no tool printed, and stays fast on long input', () => {
    expect(detectFormat('hello world\nthis is a letter\n')).toEqual({ kind: 'unknown' });
    expect(detectFormat('')).toEqual({ kind: 'unknown' });
    expect(detectFormat(`${'x '.repeat(100_000)}\n`.repeat(5))).toEqual({ kind: 'unknown' });
    expect(detectFormat('total 12\ndrwxr-xr-x 2 root root 4096 Jan  1 00:00 bin\n')).toEqual({ kind: 'unknown' });
    expect(detectFormat('alpine-baselayout\nmusl\n')).toEqual({ kind: 'unknown' });
    expect(detectFormat(`${'a-'.repeat(100_000)}1-r1\n`.repeat(5))).toEqual({ kind: 'unknown' });
  });
});

describe('--format auto on the command line', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses with the format it recognised and names it on stderr, one line', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const json = renderParsedFile(`${fixturesRoot}netstat/windows-ano.txt`, { format: 'auto' });
    expect(stderr.mock.calls).toEqual([['auto: netstat (Windows)\n']]);
    const parsed = JSON.parse(json) as { sockets: { localPort: number; pid: number | null }[] };
    expect(parsed.sockets[0]).toMatchObject({ localPort: 135, pid: 1012 });
  });

  it('reads a package listing with the format it recognised', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const json = renderParsedFile(`${fixturesRoot}dpkg-query/debian12-with-arch.txt`, { format: 'auto' });
    expect(stderr.mock.calls).toEqual([['auto: dpkg-query -W\n']]);
    const parsed = JSON.parse(json) as { packages: { name: string; arch: string | null; source: string }[] };
    expect(parsed.packages.find((row) => row.name === 'libc6')).toMatchObject({ arch: 'amd64', source: 'dpkg' });
  });

  it('gives headerless traceroute runs the --target it is told', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const json = renderParsedFile(`${fixturesRoot}traceroute/bsd-no-header.txt`, { format: 'auto', target: 'www.example.net' });
    expect((JSON.parse(json) as { traceroutes: { target: string }[] }).traceroutes[0]?.target).toBe('www.example.net');
  });

  it('refuses what it cannot name, what is not a tool format, and empty input, naming the file', () => {
    expect(() => resolveFormat('auto', 'routes.txt', readFixture('netstat', 'refused-debian12-r.txt'))).toThrow(
      new BadInputError('routes.txt:1: a routing table (netstat -r, route), not a format the collector reads'),
    );
    expect(() => resolveFormat('auto', 'letter.txt', 'Dear Sir,\n')).toThrow(
      /^letter\.txt: cannot tell which tool printed this \(pass --format: one of lsof-F, /,
    );
    expect(() => resolveFormat('auto', 'empty.txt', '\n')).toThrow('empty.txt: empty input: nothing to recognise (pass --format)');
    expect(() => checkFormatFlag('nmap', 'scan.txt')).toThrow(
      'scan.txt: unknown format "nmap" (expected one of lsof-F, lsof, netstat, ss, ifconfig, ip-link, ps, traceroute, rpm-qa, dpkg-l, dpkg-query, dpkg-status, apk-info, apk-installed, auto)',
    );
    expect(checkFormatFlag(undefined, 'x')).toBe('auto');
  });
});
