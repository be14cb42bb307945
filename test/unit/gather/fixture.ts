// Reads the real /proc and /sys samples kept in test/fixtures/gather.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../fixtures/gather/', import.meta.url));

export function fixtureText(relativePath: string): string {
  return readFileSync(`${FIXTURE_ROOT}${relativePath}`, 'utf8');
}

export function fixtureBytes(relativePath: string): Buffer {
  return readFileSync(`${FIXTURE_ROOT}${relativePath}`);
}
