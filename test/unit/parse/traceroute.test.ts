import { describe, expect, it } from 'vitest';
import { parseTraceroute, UNKNOWN_TARGET } from '@/collector/parse/traceroute';
import { tracerouteSchema } from '@/lib/schemas/snapshot';
import { answered, expectParseError, hop, readFixture, timedOut } from './helpers';

const read = (name: string) => readFixture('traceroute', name);

describe('parseTraceroute', () => {
  it('reads the seed, whose header and hop lines wrap onto the next line', () => {
    const runs = parseTraceroute(read('seed-airnews.txt'));
    expect(runs).toEqual([
      {
        target: 'library.airnews.net',
        targetAddress: '206.66.12.202',
        startedAt: null,
        hops: [
          hop(1, '208.225.64.50', 'rbrt3', [4.867, 4.893, 3.449]),
          hop(2, '157.130.0.17', '519.Hssi2-0-0.GW1.EWR1.ALTER.NET', [6.918, 8.721, 16.476]),
          hop(3, '146.188.176.38', '113.ATM3-0.XR2.EWR1.ALTER.NET', [6.323, 6.123, 7.011]),
          hop(4, '146.188.176.82', '192.ATM2-0.TR2.EWR1.ALTER.NET', [6.955, 15.4, 6.684]),
          hop(5, '146.188.136.245', '105.ATM6-0.TR2.DFW4.ALTER.NET', [49.105, 49.921, 47.371]),
          hop(6, '146.188.240.77', '298.ATM7-0.XR2.DFW4.ALTER.NET', [48.162, 48.052, 47.565]),
          hop(7, '146.188.240.45', '194.ATM9-0-0.GW1.DFW1.ALTER.NET', [47.886, 47.38, 50.69]),
          hop(8, '137.39.138.74', 'iadfw3-gw.customer.ALTER.NET', [69.827, 68.112, 66.859]),
          hop(9, '206.66.12.202', 'library.airnews.net', [174.853, 163.945, 147.501]),
        ],
      },
    ]);
    for (const run of runs) expect(tracerouteSchema.safeParse(run).success).toBe(true);
  });

  it('attaches !H to the probe it follows, keeps the router across a *, and drops a name that only repeats the address', () => {
    const rbrt3 = (rtt: number) => answered('208.225.64.50', 'rbrt3.exit109.com', rtt, '!H');
    expect(parseTraceroute(read('bsd-annotations.txt'))).toEqual([
      {
        target: 'www.exit109.com',
        targetAddress: '208.225.64.62',
        startedAt: null,
        hops: [
          hop(1, '192.168.1.1', 'gw.home.lan', [0.612, 0.498, 0.477]),
          hop(2, '207.126.101.2', null, [0.858, 1.003, 1.152]),
          hop(3, '208.225.64.1', 'core2.exit109.com', [18.334, 17.902, 18.121]),
          { hop: 4, probes: [rbrt3(35.931), timedOut, rbrt3(39.97)] },
        ],
      },
    ]);
  });

  it('reads timeouts (* * *) and a hop whose last "ms" wrapped', () => {
    const uuweb = answered('208.229.230.142', 'host230-142.uuweb.com', 12.619);
    expect(parseTraceroute(read('timeouts.txt'))).toEqual([
      {
        target: 'www.ixcis.net',
        targetAddress: '216.140.128.10',
        startedAt: null,
        hops: [
          { hop: 9, probes: [uuweb, timedOut, timedOut] },
          hop(10, '144.232.8.49', 'sl-bb21-fw-4-0.sprintlink.net', [28.455, 27.95, 28.204]),
          hop(11, '144.232.11.90', 'sl-gw12-dal-8-0.sprintlink.net', [31.223, 30.815, 31.004]),
          hop(12, '216.140.128.242', 'al-fa3-0-0.austtx.ixcis.net', [84.585, 92.399, 87.805]),
          { hop: 13, probes: [timedOut, timedOut, timedOut] },
          { hop: 14, probes: [timedOut, timedOut, timedOut] },
          { hop: 15, probes: [timedOut, timedOut, timedOut] },
        ],
      },
    ]);
  });

  it('reads Linux traceroute -n: the address switching mid-line, !X and !<10>', () => {
    expect(parseTraceroute(read('linux-multi-address.txt'))).toEqual([
      {
        target: '198.51.100.20',
        targetAddress: '198.51.100.20',
        startedAt: null,
        hops: [
          hop(1, '10.0.0.1', null, [0.412, 0.371, 0.355]),
          { hop: 2, probes: [answered('100.64.0.1', null, 8.127), answered('100.64.0.9', null, 9.01), answered('100.64.0.1', null, 8.448)] },
          { hop: 3, probes: [timedOut, answered('203.0.113.5', null, 12.774), timedOut] },
          { hop: 4, probes: [14.33, 14.118, 14.502].map((rtt) => answered('203.0.113.77', null, rtt, '!X')) },
          { hop: 5, probes: [answered('198.51.100.20', null, 15.001, '!<10>'), answered('198.51.100.20', null, 15.204, '!<10>'), timedOut] },
        ],
      },
    ]);
  });

  it('reads traceroute output captured on Linux, with and without -n', () => {
    expect(parseTraceroute(read('linux-n-localhost.txt'))).toEqual([
      { target: '127.0.0.1', targetAddress: '127.0.0.1', startedAt: null, hops: [hop(1, '127.0.0.1', null, [0.233, 0.197, 0.187])] },
    ]);
    expect(parseTraceroute(read('linux-localhost.txt'))).toEqual([
      { target: '127.0.0.1', targetAddress: '127.0.0.1', startedAt: null, hops: [hop(1, '127.0.0.1', 'localhost', [0.009, 0.004, 0.003])] },
    ]);
  });

  it('reads several runs in one file, traceroute6 with "from" included, past a warning traceroute printed', () => {
    expect(parseTraceroute(read('concatenated-runs.txt'))).toEqual([
      {
        target: 'example.net',
        targetAddress: '192.0.2.80',
        startedAt: null,
        hops: [
          hop(1, '192.168.1.1', 'router.lan', [1.234, 1.105, 1.098]),
          { hop: 2, probes: [timedOut, timedOut, timedOut] },
          {
            hop: 3,
            probes: [
              answered('192.0.2.1', 'edge1.example.net', 9.876),
              answered('192.0.2.1', 'edge1.example.net', 9.654, '!N'),
              answered('192.0.2.1', 'edge1.example.net', 10.001),
            ],
          },
        ],
      },
      {
        target: 'example.net',
        targetAddress: '2001:db8::80',
        startedAt: null,
        hops: [
          hop(1, 'fe80::1%en0', null, [1.512, 1.204, 1.187]),
          hop(2, '2001:db8::1', null, [10.118, 9.902, 9.877]),
          { hop: 3, probes: [11.445, 11.302, 11.298].map((rtt) => answered('2001:db8::80', null, rtt, '!P')) },
        ],
      },
    ]);
  });

  it('reads nothing from empty input', () => {
    expect(parseTraceroute('')).toEqual([]);
  });

  it('keeps every readable hop and marks the one it cannot read, with its text and no probes', () => {
    const [rttFirst] = parseTraceroute(read('unparsed-hop-rtt-first.txt'));
    expect(rttFirst?.hops).toEqual([hop(1, '10.0.0.1', null, [0.412, 0.371, 0.355]), { hop: 2, probes: [], unparsed: '2  8.127 ms  100.64.0.1  8.448 ms' }]);
    const [strayWord] = parseTraceroute(read('unparsed-hop-stray-word.txt'));
    expect(strayWord?.hops[1]).toEqual({ hop: 2, probes: [], unparsed: '2  100.64.0.1  8.127 ms  lost  8.448 ms' });
    const [annotationFirst] = parseTraceroute('traceroute to x (10.0.0.1), 30 hops max\n 1  !H\n');
    expect(annotationFirst?.hops).toEqual([{ hop: 1, probes: [], unparsed: '1  !H' }]);
  });

  it('reads BSD and macOS output without its header (printed on stderr): target unknown unless given', () => {
    expect(parseTraceroute(read('hops-only-one-hop.txt'))).toEqual([
      { target: UNKNOWN_TARGET, targetAddress: null, startedAt: null, hops: [hop(1, '208.225.64.50', 'rbrt3', [4.867, 4.893, 3.449])] },
    ]);
    const [run] = parseTraceroute(read('bsd-no-header.txt'), { target: 'www.example.net' });
    expect(run?.target).toBe('www.example.net');
    expect(run?.targetAddress).toBeNull();
    expect(run?.hops.map((item) => item.hop)).toEqual([1, 2, 3, 4, 5, 6]);
    // `Internal (Internal)` names no address: that hop is kept as printed, the five others are read.
    expect(run?.hops[3]).toEqual({ hop: 4, probes: [], unparsed: '4  Internal (Internal)  0.894 ms  0.812 ms  0.791 ms' });
    expect(run?.hops[5]).toEqual(hop(6, '203.0.113.80', 'www.example.net', [15.002, 14.871, 15.23]));
  });

  it('starts another headerless run where the hop numbers start again', () => {
    const runs = parseTraceroute(read('bsd-no-header-two-runs.txt'));
    expect(runs.map((run) => [run.target, run.hops.length])).toEqual([
      [UNKNOWN_TARGET, 2],
      [UNKNOWN_TARGET, 3],
    ]);
  });

  it('refuses malformed output at its line', () => {
    expectParseError(() => parseTraceroute(read('refused-no-hop-readable.txt')), 1, 'no hop could be read, first "1  router gateway lan"');
    expectParseError(() => parseTraceroute(read('malformed-hop.txt')), 2, 'hop "256" out of range');
    expectParseError(() => parseTraceroute('garbage first\n'), 1, 'expected a traceroute header or hop line, got "garbage first"');
    expectParseError(() => parseTraceroute('traceroute: unknown host nowhere.invalid\n'), 1, 'no traceroute header or hop in this input');
  });

  it('reads traceroute captured on Linux, IPv4 and IPv6', () => {
    expect(parseTraceroute(read('debian12-n-localhost.txt'))[0]?.hops).toEqual([hop(1, '127.0.0.1', null, [0.008, 0.004, 0.004])]);
    expect(parseTraceroute(read('debian12-localhost.txt'))[0]?.hops).toEqual([hop(1, '127.0.0.1', 'localhost', [0.196, 0.005, 0.005])]);
    expect(parseTraceroute(read('debian12-ipv6-localhost.txt'))).toEqual([
      { target: '::1', targetAddress: '::1', startedAt: null, hops: [hop(1, '::1', null, [0.109, 0.006, 0.004])] },
    ]);
  });
});
