// Order-insensitive content hash of a snapshot section: two sections with the same rows in any
// order hash the same, so an unchanged section can be detected without comparing rows.
import { createHash } from 'node:crypto';

interface SortedKey {
  key: string;
  /** `"key":`, so each row does not quote its keys again. */
  prefix: string;
}

// Rows of one section share one shape (a few per process), so the sorted key list is computed once
// per shape instead of once per row: hashing is on every ingest's path (bench/README.md).
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

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` serialise the same. */
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

export function hashSection(rows: readonly unknown[]): string {
  const lines = rows.map(canonicalJson).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return hash.digest('hex');
}

/** Digest of rows' exact JSON text: equal digests mean byte-identical content. */
export function digestRows(rows: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(rows)).digest('base64');
}

// The digest of a section as it arrived over HTTP, computed once while parsing (for the validation
// shortcut) and reused here; keyed by the rows array itself, so nothing else needs to carry it.
const arrivalDigests = new WeakMap<readonly unknown[], string>();

export function recordArrivalDigest(rows: readonly unknown[], digest: string): void {
  arrivalDigests.set(rows, digest);
}

/**
 * Canonical hashes remembered per (host, section) by a digest of the rows' exact JSON: a collector
 * that repeats itself sends the same rows in the same order, and digesting JSON.stringify costs a
 * third of canonicalising (bench/README.md). Content-addressed, so a miss only costs the full hash;
 * bounded, oldest entries go first.
 */
export class SectionHashCache {
  private readonly entries = new Map<string, { digest: string; hash: string }>();

  // Four sections of 25,000 hosts: ~25 MB at most.
  constructor(private readonly maxEntries = 100_000) {}

  hash(owner: string, rows: readonly unknown[]): string {
    const digest = arrivalDigests.get(rows) ?? digestRows(rows);
    const cached = this.entries.get(owner);
    if (cached?.digest === digest) return cached.hash;
    const hash = hashSection(rows);
    this.entries.delete(owner);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(owner, { digest, hash });
    return hash;
  }

  /** True when the owner's last hashed content had exactly this JSON (it passed validation then). */
  isLastSeen(owner: string, digest: string): boolean {
    return this.entries.get(owner)?.digest === digest;
  }
}

/** One per process: the ingest route and ingestSnapshot share what each host sent last. */
export const sectionHashes = new SectionHashCache();

export const sectionOwner = (hostId: number, section: string) => `${hostId}:${section}`;
