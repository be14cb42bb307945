// packageSchema (lib/schemas/snapshot.ts) checked by hand. A native package read checks every row
// of the host's database, and evaluating zod and the snapshot schemas costs a one-shot `snapshot`
// more than the read itself. test/unit/collector/package-row-check.test.ts holds this check to
// zod's verdicts and messages.
import type { PackageRow } from '../../lib/schemas/snapshot';

const PACKAGE_SOURCES: ReadonlySet<string> = new Set(['dpkg', 'rpm', 'apk']);

// zod's z.iso.datetime({ offset: true }): a calendar date, seconds required, Z or ±HH:MM.
const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?';
const ISO_DATETIME = new RegExp(`^${DATE}T(?:${TIME}(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d))$`);
const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The schema's `text(max)` (and `.min(1)` when `isRequired`), issues in zod's order; null when the text passes. */
function textProblem(value: string, max: number, isRequired: boolean): string | null {
  if (value.length > max) return `Too big: expected string to have <=${max} characters`;
  if (value.includes('\u0000')) return 'must not contain NUL bytes';
  if (!value.isWellFormed()) return 'must be well-formed Unicode (no lone surrogate)';
  if (isRequired && value.length < 1) return 'Too small: expected string to have >=1 characters';
  return null;
}

function timestampProblem(value: string): string | null {
  if (!ISO_DATETIME.test(value)) return 'Invalid ISO datetime';
  const instant = Date.parse(value);
  return instant >= EARLIEST_INSTANT && instant <= LATEST_INSTANT ? null : 'must be between 1970 and 9999';
}

/** The first thing packageSchema would refuse in a row, as `field: message`; null when it takes the row. */
export function packageRowProblem(row: PackageRow): string | null {
  const problems: Array<[field: string, problem: string | null]> = [
    ['name', textProblem(row.name, 256, true)],
    ['version', textProblem(row.version, 256, true)],
    ['arch', row.arch === null ? null : textProblem(row.arch, 64, false)],
    ['source', PACKAGE_SOURCES.has(row.source) ? null : 'Invalid option: expected one of "dpkg"|"rpm"|"apk"'],
    ['installedAt', row.installedAt === null ? null : timestampProblem(row.installedAt)],
  ];
  for (const [field, problem] of problems) if (problem !== null) return `${field}: ${problem}`;
  return null;
}
