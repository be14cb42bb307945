// The diff API lists only what changed; the rows it does not mention are the unchanged ones.
// Rows are matched whole (same text in every field), as many times as they occur.

/** JSON with sorted keys, so two equal rows always give the same text. */
function canonicalRow(value: unknown): string {
  if (value === null || value === undefined || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalRow).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalRow(field)}`).join(',')}}`;
}

/** `afterRows` minus the rows the diff names as added or as the new side of a change. */
export function listUnchangedRows<Row>(afterRows: readonly Row[], mentioned: readonly Row[], identity: (row: Row) => string = canonicalRow): Row[] {
  const remaining = new Map<string, number>();
  for (const row of mentioned) {
    const key = identity(row);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  return afterRows.filter((row) => {
    const key = identity(row);
    const count = remaining.get(key) ?? 0;
    if (count === 0) return true;
    remaining.set(key, count - 1);
    return false;
  });
}
