// Every parser, fed arbitrary text and damaged fixtures, either returns rows the snapshot schema accepts
// or throws a ParseError — never another exception, never a row the server would refuse, and never
// zero rows from text that holds something. Generated name-resolved, Windows, BSD -A and headerless
// traceroute output is read right: a port from a service name, an address never claimed where the
// tool cut it.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseApkInfo } from '@/collector/parse/apk-info';
import { parseApkInstalled } from '@/collector/parse/apk-installed';
import { parseDpkgList } from '@/collector/parse/dpkg-list';
import { parseDpkgQuery } from '@/collector/parse/dpkg-query';
import { parseDpkgStatus } from '@/collector/parse/dpkg-status';
import { parseIfconfig } from '@/collector/parse/ifconfig';
import { parseIpLink } from '@/collector/parse/ip-link';
import { lsofFieldsToCsv, parseLsofFields } from '@/collector/parse/lsof-fields';
import { parseLsofText } from '@/collector/parse/lsof-text';
import { parseNetstat } from '@/collector/parse/netstat';
import { ParseError } from '@/collector/parse/parse-error';
import { parsePs } from '@/collector/parse/ps';
import { parseRpmQa } from '@/collector/parse/rpm-qa';
import { parseSs } from '@/collector/parse/ss';
import { detectFormat } from '@/collector/parse/detect-format';
import { parseTraceroute } from '@/collector/parse/traceroute';
import { TCP_SERVICE_PORTS } from '@/collector/parse/service-table.generated';
import { parseWebjobEnv } from '@/collector/parse/webjob-env';
import { interfaceSchema, packageSchema, processSchema, runSchema, socketSchema, tracerouteSchema } from '@/lib/schemas/snapshot';

const RUNS = 300;
const SEED = 20_021_119;
const CSV_HEADER = 'login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port\n';

interface ParserUnderTest {
  name: string;
  fixtures: string;
  parse: (text: string) => unknown;
  /** True when the output is acceptable; throws a readable assertion otherwise. */
  check: (output: unknown) => void;
}

function checkRows(schema: z.ZodType) {
  return (output: unknown) => {
    expect(Array.isArray(output)).toBe(true);
    for (const row of output as unknown[]) {
      const result = schema.safeParse(row);
      expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    }
  };
}

/** Package parsers also promise a non-empty, sorted list: nothing listed is a ParseError, never []. */
function checkPackages(output: unknown): void {
  checkRows(packageSchema)(output);
  const names = (output as { name: string }[]).map((row) => row.name);
  expect(names.length).toBeGreaterThan(0);
  expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}

const parsers: ParserUnderTest[] = [
  { name: 'lsof -F', fixtures: 'lsof-F', parse: parseLsofFields, check: checkRows(socketSchema) },
  {
    name: 'lsof -F to CSV',
    fixtures: 'lsof-F',
    parse: lsofFieldsToCsv,
    check: (output) => {
      expect(typeof output).toBe('string');
      expect((output as string).startsWith(CSV_HEADER) && (output as string).endsWith('\n')).toBe(true);
    },
  },
  { name: 'lsof', fixtures: 'lsof', parse: parseLsofText, check: checkRows(socketSchema) },
  { name: 'netstat', fixtures: 'netstat', parse: parseNetstat, check: checkRows(socketSchema) },
  { name: 'ss', fixtures: 'ss', parse: parseSs, check: checkRows(socketSchema) },
  { name: 'ifconfig', fixtures: 'ifconfig', parse: parseIfconfig, check: checkRows(interfaceSchema) },
  { name: 'ip-link', fixtures: 'ip-link', parse: parseIpLink, check: checkRows(interfaceSchema) },
  { name: 'ps', fixtures: 'ps', parse: parsePs, check: checkRows(processSchema) },
  { name: 'traceroute', fixtures: 'traceroute', parse: parseTraceroute, check: checkRows(tracerouteSchema) },
  { name: 'rpm -qa', fixtures: 'rpm-qa', parse: parseRpmQa, check: checkPackages },
  { name: 'dpkg -l', fixtures: 'dpkg-l', parse: parseDpkgList, check: checkPackages },
  { name: 'dpkg-query -W', fixtures: 'dpkg-query', parse: parseDpkgQuery, check: checkPackages },
  { name: 'dpkg status', fixtures: 'dpkg-status', parse: parseDpkgStatus, check: checkPackages },
  { name: 'apk info -v', fixtures: 'apk-info', parse: parseApkInfo, check: checkPackages },
  { name: 'apk installed', fixtures: 'apk-installed', parse: parseApkInstalled, check: checkPackages },
  {
    name: 'webjob .env',
    fixtures: 'webjob-env',
    parse: parseWebjobEnv,
    check: (output) => expect(runSchema.safeParse(output).success).toBe(true),
  },
];

function readFixtures(format: string): string[] {
  const directory = fileURLToPath(new URL(`../../fixtures/parse/${format}/`, import.meta.url));
  return readdirSync(directory)
    .filter((name) => name !== 'SOURCES.md')
    .map((name) => readFileSync(`${directory}${name}`, 'latin1'));
}

/** Rows or a ParseError; anything else thrown fails the property. */
function parsesOrRefuses(parser: ParserUnderTest, text: string): void {
  let output: unknown;
  try {
    output = parser.parse(text);
  } catch (error) {
    if (error instanceof ParseError) {
      expect(Number.isInteger(error.line) && error.line >= 0).toBe(true);
      expect(error.reason.length).toBeGreaterThan(0);
      return;
    }
    throw error;
  }
  parser.check(output);
  // Zero rows from text that holds something would be a silent "nothing listens".
  if (Array.isArray(output) && text.trim() !== '') expect(output.length).toBeGreaterThan(0);
}

type Mutation =
  | { kind: 'drop' | 'duplicate'; at: number }
  | { kind: 'truncate'; at: number; keep: number }
  | { kind: 'insert'; at: number; offset: number; bytes: string }
  | { kind: 'swap'; at: number; other: number };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), keep: fc.nat({ max: 200 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    offset: fc.nat({ max: 200 }),
    bytes: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('\u0000', ':', '.', '*', '->', ' ', '\t', '(', ')', '[', ']', '%', '!', '\r', '9999999'),
    ),
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
);

function mutate(text: string, mutations: Mutation[]): string {
  const lines = text.split('\n');
  for (const mutation of mutations) {
    if (lines.length === 0) break;
    const at = mutation.at % lines.length;
    const line = lines[at] ?? '';
    if (mutation.kind === 'drop') lines.splice(at, 1);
    if (mutation.kind === 'duplicate') lines.splice(at, 0, line);
    if (mutation.kind === 'truncate') lines[at] = line.slice(0, mutation.keep % (line.length + 1));
    if (mutation.kind === 'insert') {
      const offset = mutation.offset % (line.length + 1);
      lines[at] = line.slice(0, offset) + mutation.bytes + line.slice(offset);
    }
    if (mutation.kind === 'swap') {
      const other = mutation.other % lines.length;
      lines[at] = lines[other] ?? '';
      lines[other] = line;
    }
  }
  return lines.join('\n');
}

/** Lines made of words the tool really prints, shuffled: deeper than random bytes reach. */
function wordSoup(fixtures: string[]): fc.Arbitrary<string> {
  const words = [...new Set(fixtures.flatMap((text) => text.split(/[ \t\n]+/)).filter((word) => word !== ''))];
  const line = fc.tuple(fc.constantFrom('', ' ', '    ', '\t'), fc.array(fc.constantFrom(...words), { maxLength: 12 }));
  return fc.array(line, { maxLength: 20 }).map((lines) => lines.map(([indent, parts]) => indent + parts.join(' ')).join('\n'));
}

describe.each(parsers)('$name parser under fuzzing', (parser) => {
  const fixtures = readFixtures(parser.fixtures);

  it('returns valid rows or a ParseError for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ maxLength: 400 })), (text) => parsesOrRefuses(parser, text)),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('returns valid rows or a ParseError for fixtures with lines dropped, duplicated, truncated, swapped or bytes inserted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }), (fixture, mutations) =>
        parsesOrRefuses(parser, mutate(fixture, mutations)),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("returns valid rows or a ParseError for the tool's own words in random order", () => {
    fc.assert(
      fc.property(wordSoup(fixtures), (text) => parsesOrRefuses(parser, text)),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('gets through long and repetitive input without stalling', () => {
    const longWord = 'a:'.repeat(50_000);
    const pathological = [
      `${longWord}\n`,
      ' '.repeat(100_000),
      `1 ${'('.repeat(50_000)}\n`,
      `users:(("${'"'.repeat(50_000)}\n`,
      `${(fixtures[0] ?? '').repeat(50)}`,
      `x${'\n 9.9'.repeat(20_000)}`,
    ];
    for (const text of pathological) parsesOrRefuses(parser, text);
  });
});

const GENERATED_RUNS = 200;
const ipv4 = fc.ipV4();
const port = fc.integer({ min: 1, max: 65_535 });
const serviceNames = [...TCP_SERVICE_PORTS.keys()];

describe('name-resolved Linux netstat', () => {
  /** net-tools without -W: ADDRESS cut so that ADDRESS:PORT fits 23 characters. */
  function linuxEndpoint(host: string, portText: string): string {
    return `${host.length + portText.length > 22 ? host.slice(0, 22 - portText.length) : host}:${portText}`;
  }
  const host = fc.oneof(ipv4, fc.constantFrom('localhost', '_localdnsstub', 'ip6-localhost'), fc.domain());
  const portText = fc.oneof(fc.constantFrom(...serviceNames), port.map(String));

  it('reads every port a service name stands for, and never claims an address netstat cut', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(host, portText), { minLength: 1, maxLength: 12 }), (endpoints) => {
        const lines = endpoints.map(([name, service]) => `tcp 0 0 ${linuxEndpoint(name, service)} 0.0.0.0:* LISTEN`);
        const rows = parseNetstat(['Proto Recv-Q Send-Q Local Address Foreign Address State', ...lines].join('\n'));
        expect(rows).toHaveLength(endpoints.length);
        rows.forEach((row, index) => {
          const [name, service] = endpoints[index] ?? ['', ''];
          expect(row.localPort).toBe(/^\d+$/.test(service) ? Number(service) : (TCP_SERVICE_PORTS.get(service) ?? null));
          const wasCut = name.length + service.length > 22;
          if (wasCut) expect(row.localAddressKind).toBe('truncated');
          if (row.localAddressKind === undefined) expect(row.localAddress).toBe(name);
          if (row.localAddressKind === 'name') expect(row.localAddress).toBe(name);
        });
      }),
      { seed: SEED, numRuns: GENERATED_RUNS },
    );
  });
});

describe('BSD and macOS netstat -An', () => {
  /** inet.c inetprint with -A and -n: the host cut to 16 characters, the endpoint to 18. */
  function bsdEndpoint(host: string, portNumber: number): string {
    return `${host.slice(0, 16)}.${portNumber}`.slice(0, 18);
  }
  const row = fc.tuple(fc.nat({ max: 0xffff_ffff }), fc.boolean(), fc.oneof(ipv4, fc.ipV6()), port, fc.oneof(ipv4, fc.ipV6()), port);

  it('gives an address and port only where netstat printed them whole', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (rows) => {
        const lines = rows.map(([pcb, isTcp, local, localPort, remote, remotePort]) => {
          const protocol = `${isTcp ? 'tcp' : 'udp'}${local.includes(':') ? '6' : '4'}`;
          return `${pcb.toString(16).padStart(16, 'f')} ${protocol} 0 0 ${bsdEndpoint(local, localPort)} ${bsdEndpoint(remote, remotePort)}${isTcp ? ' ESTABLISHED' : ''}`;
        });
        const header = 'Tcpcb            Proto Recv-Q Send-Q Local Address      Foreign Address    (state)';
        const sockets = parseNetstat(['Active Internet connections', header, ...lines].join('\n'));
        expect(sockets).toHaveLength(rows.length);
        sockets.forEach((socketRow, index) => {
          const [, , local, localPort, remote, remotePort] = rows[index] ?? [0, false, '', 0, '', 0];
          if (socketRow.localAddressKind === undefined) expect([socketRow.localAddress, socketRow.localPort]).toEqual([local, localPort]);
          if (socketRow.remoteAddressKind === undefined) expect([socketRow.remoteAddress, socketRow.remotePort]).toEqual([remote, remotePort]);
          if (bsdEndpoint(local, localPort) !== `${local}.${localPort}`) expect(socketRow.localAddressKind).toBe('truncated');
        });
      }),
      { seed: SEED, numRuns: GENERATED_RUNS },
    );
  });
});

describe('Windows netstat -ano', () => {
  const states = ['LISTENING', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT', 'SYN_SENT', 'FIN_WAIT_2', 'BOUND'] as const;
  const connection = fc.tuple(
    fc.boolean(),
    fc.oneof(ipv4, fc.ipV6()),
    port,
    fc.oneof(ipv4, fc.ipV6()),
    fc.nat({ max: 65_535 }),
    fc.constantFrom(...states),
    fc.integer({ min: 1, max: 99_999 }),
  );
  const endpoint = (address: string, portNumber: number) => (address.includes(':') ? `[${address}]:${portNumber}` : `${address}:${portNumber}`);

  it('reads every row: states the Linux way, PIDs, UDP without a peer', () => {
    fc.assert(
      fc.property(fc.array(connection, { minLength: 1, maxLength: 12 }), (connections) => {
        const lines = connections.map(([isTcp, local, localPort, remote, remotePort, state, pid]) =>
          isTcp
            ? `  TCP    ${endpoint(local, localPort)}  ${endpoint(remote, remotePort)}  ${state}  ${pid}`
            : `  UDP    ${endpoint(local, localPort)}  *:*  ${pid}`,
        );
        const rows = parseNetstat(['', 'Active Connections', '', '  Proto  Local Address  Foreign Address  State  PID', ...lines].join('\r\n'));
        expect(rows).toHaveLength(connections.length);
        rows.forEach((row, index) => {
          const [isTcp, local, localPort, , remotePort, state, pid] = connections[index] ?? [true, '', 0, '', 0, 'BOUND', 0];
          expect([row.localPort, row.pid, row.proto]).toEqual([localPort, pid, `${isTcp ? 'tcp' : 'udp'}${local.includes(':') ? '6' : ''}`]);
          expect(row.state).toBe(isTcp ? (({ LISTENING: 'LISTEN', FIN_WAIT_2: 'FIN_WAIT2' } as Record<string, string>)[state] ?? state) : null);
          if (isTcp) expect(row.remotePort).toBe(remotePort === 0 ? null : remotePort);
          else expect(row.remoteAddress).toBeNull();
        });
      }),
      { seed: SEED, numRuns: GENERATED_RUNS },
    );
  });
});

describe('traceroute without its header', () => {
  const hopLine = fc.oneof(
    fc.tuple(ipv4, fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 3 })).map(([address, rtts]) => ({
      text: `${address}  ${rtts.map((rtt) => `${(rtt / 1000).toFixed(3)} ms`).join('  ')}`,
      probes: rtts.length,
    })),
    fc.constant({ text: '* * *', probes: 3 }),
    fc.constantFrom('Internal (Internal)  0.894 ms', 'lost  1.0 ms', '!H').map((text) => ({ text, probes: -1 })),
  );

  it('keeps every readable hop and marks each one it cannot read', () => {
    fc.assert(
      fc.property(fc.array(hopLine, { minLength: 1, maxLength: 20 }), (hops) => {
        const text = hops.map((item, index) => `${String(index + 1).padStart(2)}  ${item.text}`).join('\n');
        let runs: ReturnType<typeof parseTraceroute>;
        try {
          runs = parseTraceroute(text);
        } catch (error) {
          // Only when no hop at all could be read.
          expect(error).toBeInstanceOf(ParseError);
          expect(hops.every((item) => item.probes < 0)).toBe(true);
          return;
        }
        expect(runs).toHaveLength(1);
        expect(runs[0]?.hops.map((item) => (item.unparsed === undefined ? item.probes.length : -1))).toEqual(hops.map((item) => item.probes));
      }),
      { seed: SEED, numRuns: GENERATED_RUNS },
    );
  });
});

describe('the format detector', () => {
  it('names a format, a foreign table, or nothing, for any text, and never throws', () => {
    const fixtures = ['netstat', 'ss', 'lsof', 'lsof-F', 'ps', 'traceroute', 'ifconfig', 'ip-link'].flatMap(readFixtures);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.tuple(fc.constantFrom(...fixtures), fc.array(mutationArbitrary, { maxLength: 4 })).map(([fixture, mutations]) => mutate(fixture, mutations)),
        ),
        (text) => {
          expect(['format', 'foreign', 'unknown']).toContain(detectFormat(text).kind);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
