// Shared by the parser tests: fixture files, full expected rows with nulls spelled once, and ParseError checks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ParseError } from '@/collector/parse/parse-error';
import type { InterfaceRow, SocketRow, TracerouteProbe } from '@/lib/schemas/snapshot';

const fixturesRoot = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));

export function readFixture(format: string, name: string): string {
  return readFileSync(`${fixturesRoot}${format}/${name}`, 'utf8');
}

/** A full socket row: what the test names, null for the rest. */
export function socket(fields: Pick<SocketRow, 'proto' | 'localAddress' | 'localPort'> & Partial<SocketRow>): SocketRow {
  return {
    remoteAddress: null,
    remotePort: null,
    state: null,
    pid: null,
    process: null,
    user: null,
    uid: null,
    inode: null,
    ...fields,
  };
}

/** A full interface row with no counters known. */
export function networkInterface(fields: Pick<InterfaceRow, 'name' | 'flags' | 'promiscuous' | 'mtu'> & Partial<InterfaceRow>): InterfaceRow {
  return { mac: null, addresses: [], rxErrors: null, txErrors: null, rxDropped: null, txDropped: null, ...fields };
}

export function answered(address: string, name: string | null, rttMs: number, annotation: string | null = null): TracerouteProbe {
  return { address, name, rttMs, annotation };
}

export const timedOut: TracerouteProbe = { address: null, name: null, rttMs: null, annotation: null };

/** The parser refuses the input with a ParseError at `line`, its reason matching `reason`. */
export function expectParseError(parse: () => unknown, line: number, reason: string | RegExp): void {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ParseError);
  const parseError = thrown as ParseError;
  expect({ line: parseError.line, reason: parseError.reason }).toEqual({
    line,
    reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
  });
}
