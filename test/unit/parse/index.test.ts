import { describe, expect, it } from 'vitest';
import { parseFormats, parseToolOutput } from '@/collector/parse/index';
import { readFixture } from './helpers';

describe('parseToolOutput', () => {
  it("puts each format's rows in its snapshot section, and only there", () => {
    const sections = {
      'lsof-F': ['sockets', readFixture('lsof-F', 'webjob-seed.out')],
      lsof: ['sockets', readFixture('lsof', 'webjob-seed.txt')],
      netstat: ['sockets', readFixture('netstat', 'ospatrol-listen.txt')],
      ss: ['sockets', readFixture('ss', 'ubuntu-tulpn.txt')],
      ifconfig: ['interfaces', readFixture('ifconfig', 'seed-old-net-tools.txt')],
      'ip-link': ['interfaces', readFixture('ip-link', 'ip-addr.txt')],
      ps: ['processes', readFixture('ps', 'seed-ps-aux.txt')],
      traceroute: ['traceroutes', readFixture('traceroute', 'seed-airnews.txt')],
      'rpm-qa': ['packages', readFixture('rpm-qa', 'centos7-qa.txt')],
      'dpkg-l': ['packages', readFixture('dpkg-l', 'debian12-patterns.txt')],
      'dpkg-query': ['packages', readFixture('dpkg-query', 'debian12-default.txt')],
      'dpkg-status': ['packages', readFixture('dpkg-status', 'debian12-dpkg-query-s.txt')],
      'apk-info': ['packages', readFixture('apk-info', 'alpine319-v.txt')],
      'apk-installed': ['packages', readFixture('apk-installed', 'alpine319-installed.txt')],
    } as const;
    expect(Object.keys(sections).sort()).toEqual([...parseFormats].sort());
    for (const format of parseFormats) {
      const [section, text] = sections[format];
      const parsed = parseToolOutput(format, text);
      expect(Object.keys(parsed)).toEqual([section]);
      expect(parsed[section]?.length).toBeGreaterThan(0);
    }
  });

  it('returns an empty section, not a missing one, for empty input', () => {
    expect(parseToolOutput('netstat', '')).toEqual({ sockets: [] });
    expect(parseToolOutput('ifconfig', '')).toEqual({ interfaces: [] });
  });

  it('refuses empty input for package formats: an empty list would tell the server every package was removed', () => {
    for (const format of ['rpm-qa', 'dpkg-l', 'dpkg-query', 'dpkg-status', 'apk-info', 'apk-installed'] as const) {
      expect(() => parseToolOutput(format, '')).toThrow(/the output is empty/);
    }
  });
});
