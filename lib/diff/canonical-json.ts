// JSON with object keys sorted, so `{a,b}` and `{b,a}` serialise the same: the diff orders rows
// of one identity by it, whatever key order a collector used.

interface SortedKey {
  key: string;
  /** `"key":`, so each row does not quote its keys again. */
  prefix: string;
}

// Rows of one section share one shape (a few per process), so the sorted key list is computed once
// per shape instead of once per row.
const sortedKeysByShape = new Map<string, { keys: readonly string[]; sorted: readonly SortedKey[] }>();
const MAX_CACHED_SHAPES = 256;

function sortedKeys(object: Record<string, unknown>): readonly SortedKey[] {
  const keys = Object.keys(object);
  const shape = keys.join('\u0000');
  const cached = sortedKeysByShape.get(shape);
  // Keys may contain the separator themselves: the cached list counts only if the keys are the same.
  if (cached && cached.keys.length === keys.length && cached.keys.every((key, index) => key === keys[index])) return cached.sorted;
  // Default sort order is UTF-16 code unit order, the same as comparing with < and >.
  const sorted = [...keys].sort().map((key) => ({ key, prefix: `${JSON.stringify(key)}:` }));
  if (!cached && sortedKeysByShape.size < MAX_CACHED_SHAPES) sortedKeysByShape.set(shape, { keys, sorted });
  return sorted;
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) out += (index === 0 ? '' : ',') + canonicalJson(value[index]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  let isFirst = true;
  for (const { key, prefix } of sortedKeys(object)) {
    const item = object[key];
    if (item === undefined) continue;
    out += (isFirst ? '' : ',') + prefix + canonicalJson(item);
    isFirst = false;
  }
  return `${out}}`;
}
