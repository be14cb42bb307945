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

  it('chooses the directory\'s own format for every fixture that is not a refusal', () => {
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

  it('gives headerless traceroute runs the --target it is told', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const json = renderParsedFile(`${fixturesRoot}traceroute/bsd-no-header.txt`, { format: 'auto', target: 'www.example.net' });
    expect((JSON.parse(json) as { traceroutes: { target: string }[] }).traceroutes[0]?.target).toBe('www.example.net');
  });

  it('refuses what it cannot name, what is not a tool format, and empty input, naming the file', () => {
    expect(() => resolveFormat('auto', 'routes.txt', readFixture('netstat', 'refused-debian12-r.txt'))).toThrow(
      new BadInputError('routes.txt:1: a routing table (netstat -r, route), not a format the collector reads'),
    );
    expect(() => resolveFormat('auto', 'letter.txt', 'Dear Sir,\n')).toThrow(/^letter\.txt: cannot tell which tool printed this \(pass --format: one of lsof-F, /);
    expect(() => resolveFormat('auto', 'empty.txt', '\n')).toThrow('empty.txt: empty input: nothing to recognise (pass --format)');
    expect(() => checkFormatFlag('nmap', 'scan.txt')).toThrow('scan.txt: unknown format "nmap" (expected one of lsof-F, lsof, netstat, ss, ifconfig, ip-link, ps, traceroute, auto)');
    expect(checkFormatFlag(undefined, 'x')).toBe('auto');
  });
});
