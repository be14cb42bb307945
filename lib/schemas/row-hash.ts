// Row identity, shared by the collector and the server. Each socket, process, interface and package
// row has a 128-bit hash of its canonical content; a section's digest is the sum of its rows' hashes
// modulo 2^128, so it ignores order, counts duplicates, and moves by a row's hash when one row comes
// or goes. The server stores each row once with the snapshots it was present in (docs/storage.md);
// the hashes find which rows a new snapshot opens and closes, and the digests let a collector send
// only the changes (a delta) while the server proves it applies them to the state the collector means.
import { createHash } from 'node:crypto';
import {
  interfaceSchema,
  packageSchema,
  processSchema,
  socketSchema,
  type Container,
  type InterfaceRow,
  type PackageRow,
  type ProcessRow,
  type SocketRow,
} from './snapshot';

export interface RowOf {
  sockets: SocketRow;
  processes: ProcessRow;
  interfaces: InterfaceRow;
  packages: PackageRow;
}

/** The sections stored row by row (traceroutes are runs: each belongs to the one snapshot that carried it). */
export const rowSections = ['sockets', 'processes', 'interfaces', 'packages'] as const satisfies readonly (keyof RowOf)[];
export type RowSection = (typeof rowSections)[number];

// The schema's key order, fixed here: a row hashes the same whatever order its keys arrived in.
const fieldsOf: Record<RowSection, readonly string[]> = {
  sockets: Object.keys(socketSchema.shape),
  processes: Object.keys(processSchema.shape),
  interfaces: Object.keys(interfaceSchema.shape),
  packages: Object.keys(packageSchema.shape),
};

const timestampFields = new Set(['startedAt', 'installedAt']);

/** The row as the list of its values in schema order: absent is null, an instant is one spelling. */
function canonicalValues(section: RowSection, row: object): unknown[] {
  const record = row as Record<string, unknown>;
  return fieldsOf[section].map((field) => {
    const value = record[field];
    if (value === undefined || value === null) return null;
    if (timestampFields.has(field) && typeof value === 'string') return canonicalInstant(value);
    if (field === 'container') return canonicalContainer(value as Container);
    return value;
  });
}

function canonicalInstant(text: string): string {
  const instant = Date.parse(text);
  return Number.isNaN(instant) ? text : new Date(instant).toISOString();
}

function canonicalContainer(container: Container): unknown[] {
  return [container.runtime, container.id, container.name, container.podNamespace ?? null, container.podName ?? null];
}

/** 32 hex digits as a UUID, the form PostgreSQL stores in 16 bytes. */
function hexToUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The row's 128-bit identity, as a UUID string. Equal content (by the canonical form) hashes equal. */
export function rowHash<S extends RowSection>(section: S, row: RowOf[S]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(canonicalValues(section, row)))
    .digest('hex');
  return hexToUuid(digest.slice(0, 32));
}

const MODULUS = 1n << 128n;

const uuidToBigInt = (uuid: string) => BigInt(`0x${uuid.replaceAll('-', '')}`);
const bigIntToUuid = (value: bigint) => hexToUuid(value.toString(16).padStart(32, '0'));

/** Order-insensitive digest of a multiset of row hashes. */
export function digestOfHashes(hashes: Iterable<string>): string {
  let sum = 0n;
  for (const hash of hashes) sum += uuidToBigInt(hash);
  return bigIntToUuid(sum % MODULUS);
}

/** A digest moved by rows that came (`added`) and went (`removed`). */
export function moveDigest(digest: string, added: Iterable<string>, removed: Iterable<string>): string {
  let sum = uuidToBigInt(digest);
  for (const hash of added) sum += uuidToBigInt(hash);
  for (const hash of removed) sum -= uuidToBigInt(hash);
  return bigIntToUuid(((sum % MODULUS) + MODULUS) % MODULUS);
}

/** Hashes of a section's rows, in row order, and their digest. */
export function hashRows<S extends RowSection>(section: S, rows: readonly RowOf[S][]): { hashes: string[]; digest: string } {
  const hashes = rows.map((row) => rowHash(section, row));
  return { hashes, digest: digestOfHashes(hashes) };
}

export interface RowChanges<Row> {
  added: Row[];
  /** Hashes of the rows that went, once per row (a duplicate row that went twice is listed twice). */
  removed: string[];
}

/**
 * What turns the rows `before` (by hash, with multiplicity) into `after`. Rows keep their order;
 * of two equal rows the later one is the one added.
 */
export function diffRowMultisets<Row>(
  beforeHashes: Iterable<string>,
  after: readonly Row[],
  afterHashes: readonly string[],
): RowChanges<Row> & { addedIndexes: number[] } {
  const remaining = new Map<string, number>();
  for (const hash of beforeHashes) remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
  const added: Row[] = [];
  const addedIndexes: number[] = [];
  afterHashes.forEach((hash, index) => {
    const count = remaining.get(hash) ?? 0;
    if (count > 0) {
      if (count === 1) remaining.delete(hash);
      else remaining.set(hash, count - 1);
      return;
    }
    added.push(after[index] as Row);
    addedIndexes.push(index);
  });
  const removed: string[] = [];
  for (const [hash, count] of remaining) for (let copy = 0; copy < count; copy++) removed.push(hash);
  return { added, removed, addedIndexes };
}
