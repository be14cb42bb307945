// Building blocks for query-string schemas. A query value is attacker text: it is refused at the
// boundary, with the parameter named, before it can reach the database as something PostgreSQL
// cannot hold (a NUL byte, an id past 64 bits, a date before year 1) and fail there as a 500.
import { z } from 'zod';

const INT4_MAX = 2_147_483_647;
const INT8_MAX = 9_223_372_036_854_775_807n;
/** C0 and C1 control characters, DEL included: no name, label or command a search needs has one. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Free text searched for (a name, a label, a command), at most `maxLength` characters. */
export const queryText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .refine((text) => !CONTROL_CHARACTER.test(text), 'must not contain control characters');

/** A 64-bit row id (snapshots, audit entries), written in plain decimal digits. */
export const databaseId = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a positive whole number')
  .transform((text) => BigInt(text))
  .pipe(z.bigint().positive('must be a positive whole number').max(INT8_MAX, 'is larger than any id'));

/** A 32-bit row id (alerts, baselines, rules). */
export const smallDatabaseId = z.coerce.number().int().positive().max(INT4_MAX, 'is larger than any id');
