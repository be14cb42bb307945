// The hand-written package row check refuses exactly the rows the snapshot schema refuses, with the
// schema's first message: every package parser and the native readers rely on it instead of zod.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRowProblem } from '@/collector/parse/package-row-check';
import { packageSchema, type PackageRow } from '@/lib/schemas/snapshot';

function schemaProblem(row: PackageRow): string | null {
  const result = packageSchema.safeParse(row);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return `${issue?.path.join('.')}: ${issue?.message}`;
}

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', 'a\u0000b', 'a\ud800', '\udc00x', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(256), 'x'.repeat(257), `${'x'.repeat(300)}\u0000`),
);
const timestamp = fc.oneof(
  fc.date({ min: new Date(-62_000_000_000_000), max: new Date(300_000_000_000_000), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2024-02-29T12:00:00Z',
    '2023-02-29T12:00:00Z',
    '2024-01-01T00:00:00+02:00',
    '2024-01-01T00:00:00-24:00',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00Z',
    '2024-01-01 00:00:00Z',
    '2024-01-01T00:00:00.123456789Z',
    '1969-12-31T23:59:59Z',
    '1970-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999-01:00',
    'yesterday',
    '',
  ),
  fc.string({ maxLength: 30 }),
);
const row = fc.record({
  name: text,
  version: text,
  arch: fc.option(text, { nil: null }),
  source: fc.constantFrom('dpkg', 'rpm', 'apk', 'pip') as fc.Arbitrary<PackageRow['source']>,
  installedAt: fc.option(timestamp, { nil: null }),
});

describe('packageRowProblem', () => {
  it('agrees with packageSchema on every row, message included', () => {
    fc.assert(
      fc.property(row, (candidate) => {
        expect(packageRowProblem(candidate)).toBe(schemaProblem(candidate));
      }),
      { numRuns: 3000, seed: 20_261_203 },
    );
  });

  it('names the first field the schema refuses', () => {
    const valid: PackageRow = { name: 'libc6', version: '2.36-9', arch: 'amd64', source: 'dpkg', installedAt: null };
    expect(packageRowProblem(valid)).toBeNull();
    expect(packageRowProblem({ ...valid, name: '', version: 'x'.repeat(257) })).toBe('name: Too small: expected string to have >=1 characters');
    expect(packageRowProblem({ ...valid, arch: 'a\u0000' })).toBe('arch: must not contain NUL bytes');
    expect(packageRowProblem({ ...valid, installedAt: '0001-01-01T00:00:00Z' })).toBe('installedAt: must be between 1970 and 9999');
  });
});
