// Every parser, fed arbitrary text and damaged fixtures, either returns rows the snapshot schema accepts
// or throws a ParseError — never another exception, never a row the server would refuse.
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
import { parseTraceroute } from '@/collector/parse/traceroute';
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
  return readdirSync(directory).map((name) => readFileSync(`${directory}${name}`, 'latin1'));
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
    bytes: fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\u0000', ':', '.', '*', '->', ' ', '\t', '(', ')', '[', ']', '%', '!', '\r', '9999999')),
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

  it('returns valid rows or a ParseError for the tool\'s own words in random order', () => {
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
