import { describe, expect, it } from 'vitest';
import { parseFormats, parseToolOutput } from '@/collector/parse/index';
import { readFixture } from './helpers';

describe('parseToolOutput', () => {
  it('puts each format\'s rows in its snapshot section, and only there', () => {
    const sections = {
      'lsof-F': ['sockets', readFixture('lsof-F', 'webjob-seed.out')],
      lsof: ['sockets', readFixture('lsof', 'webjob-seed.txt')],
      netstat: ['sockets', readFixture('netstat', 'ospatrol-listen.txt')],
      ss: ['sockets', readFixture('ss', 'ubuntu-tulpn.txt')],
      ifconfig: ['interfaces', readFixture('ifconfig', 'seed-old-net-tools.txt')],
      'ip-link': ['interfaces', readFixture('ip-link', 'ip-addr.txt')],
      ps: ['processes', readFixture('ps', 'seed-ps-aux.txt')],
      traceroute: ['traceroutes', readFixture('traceroute', 'seed-airnews.txt')],
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
});
