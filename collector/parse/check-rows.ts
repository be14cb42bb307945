// The last guard of every parser: a row the snapshot schema would refuse (an address too long, a NUL
// byte in a name) becomes a ParseError at its line, never a bad row and never another exception.
import type { z } from 'zod';
import { ParseError } from './parse-error';

export function checkRow<T>(schema: z.ZodType<T>, row: T, line: number): T {
  const result = schema.safeParse(row);
  if (result.success) return row;
  const issue = result.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'row' : issue.path.join('.');
  throw new ParseError(line, `${field}: ${issue?.message ?? 'invalid value'}`);
}

/** Refuses the row that would take a list past the schema's bound. */
export function checkCount(count: number, max: number, what: string, line: number): void {
  if (count > max) throw new ParseError(line, `more than ${max} ${what}`);
}
