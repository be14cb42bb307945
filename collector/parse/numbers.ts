// Numeric fields, checked against the bounds lib/schemas/snapshot.ts puts on them.
import { ParseError, quote } from './parse-error';

const MAX_PID = 4_194_304 * 16;
const MAX_UID = 4_294_967_295;
export const MAX_PORT = 65_535;

/** A non-negative decimal integer no larger than `max`. */
export function parseCount(token: string, what: string, line: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(token)) throw new ParseError(line, `${what} ${quote(token)} is not a number`);
  const value = Number(token);
  if (value > max) throw new ParseError(line, `${what} ${quote(token)} out of range`);
  return value;
}

export function parsePid(token: string, line: number, what = 'pid'): number {
  return parseCount(token, what, line, MAX_PID);
}

export function parseUid(token: string, line: number): number {
  return parseCount(token, 'uid', line, MAX_UID);
}

export function isDecimal(token: string): boolean {
  return /^\d+$/.test(token);
}
