// Every fixture, through the entry point the CLI uses: rows, or a ParseError with a reason; never an
// empty result from a file that holds something. Every fixture says where it came from (SOURCES.md).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '@/collector/parse/parse-error';
import { type ParsedSections, type ParseFormat, parseFormats, parseToolOutput } from '@/collector/parse/index';
import { parseWebjobEnv } from '@/collector/parse/webjob-env';
import { interfaceSchema, packageSchema, processSchema, socketSchema, tracerouteSchema } from '@/lib/schemas/snapshot';

const fixturesRoot = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));
const SOURCES = 'SOURCES.md';

/** Inputs only: SOURCES.md notes, and the .csv tables lsof-socket-out2csv.pl is expected to print. */
function inputFixtures(directory: string): string[] {
  return readdirSync(`${fixturesRoot}${directory}`).filter((name) => name !== SOURCES && !name.endsWith('.csv'));
}

function isRefusal(name: string): boolean {
  return name.startsWith('refused-') || name.startsWith('malformed-');
}

function rowsOf(sections: ParsedSections): unknown[] {
  const all = [sections.sockets, sections.processes, sections.interfaces, sections.traceroutes, sections.packages].filter((rows) => rows !== undefined);
  expect(all).toHaveLength(1);
  return all[0] ?? [];
}

const schemas = { sockets: socketSchema, processes: processSchema, interfaces: interfaceSchema, traceroutes: tracerouteSchema, packages: packageSchema };

function parseOutcome(format: ParseFormat, text: string): { rows: unknown[] } | { error: ParseError } {
  try {
    return { rows: rowsOf(parseToolOutput(format, text)) };
  } catch (error) {
    if (error instanceof ParseError) return { error };
    throw error;
  }
}

const cases = parseFormats.flatMap((format) => inputFixtures(format).map((name) => ({ format, name })));

describe('every fixture under test/fixtures/parse', () => {
  it('covers every format, and each format has name-resolved or captured outputs besides the old ones', () => {
    expect(new Set(cases.map((item) => item.format))).toEqual(new Set(parseFormats));
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases)('$format/$name gives rows, or is refused with a reason', ({ format, name }) => {
    const text = readFileSync(`${fixturesRoot}${format}/${name}`, 'utf8');
    expect(text.trim()).not.toBe('');
    const outcome = parseOutcome(format, text);
    if ('error' in outcome) {
      expect(isRefusal(name), `${name} was refused: ${outcome.error.message}`).toBe(true);
      expect(outcome.error.reason.length).toBeGreaterThan(10);
      expect(outcome.error.line).toBeGreaterThanOrEqual(1);
      return;
    }
    expect(isRefusal(name), `${name} should have been refused`).toBe(false);
    expect(outcome.rows.length).toBeGreaterThan(0);
    const section = Object.keys(parseToolOutput(format, text))[0] as keyof typeof schemas;
    for (const row of outcome.rows) expect(schemas[section].safeParse(row).success).toBe(true);
  });

  it('reads every WebJob .env, or refuses it with a reason', () => {
    for (const name of inputFixtures('webjob-env')) {
      const text = readFileSync(`${fixturesRoot}webjob-env/${name}`, 'utf8');
      if (isRefusal(name)) expect(() => parseWebjobEnv(text)).toThrow(ParseError);
      else expect(parseWebjobEnv(text).commandLine).not.toBeNull();
    }
  });

  it("says where every fixture came from, in its directory's SOURCES.md", () => {
    for (const directory of [...parseFormats, 'webjob-env']) {
      const sources = readFileSync(`${fixturesRoot}${directory}/${SOURCES}`, 'utf8');
      const listed = [...sources.matchAll(/^- `([^`]+)`: \S/gm)].map((match) => match[1]);
      const files = readdirSync(`${fixturesRoot}${directory}`).filter((name) => name !== SOURCES);
      expect(listed.sort(), directory).toEqual(files.sort());
    }
  });
});
