// The section-independent part of a diff: group rows by identity, collapse duplicates, pair the
// rows that remain and name the fields that differ. Each section supplies its rules.
import { canonicalJson } from '@/lib/diff/canonical-json';
import type { ChangedRow, SectionDiff } from '@/lib/diff/types';

type ComparedValue = string | number | boolean | null;

/** A field compared by value; the value is normalised so that notation alone is never a change. */
interface ValueField<Row, Change extends string> {
  name: Change;
  comparable: (row: Row) => ComparedValue;
  /** Optional shortcut with the same meaning as comparing `comparable` (skips costly normalising). */
  isEqual?: (before: Row, after: Row) => boolean;
}

/** A field with only its own equality, for values where "unknown" matches anything. */
interface EqualityField<Row, Change extends string> {
  name: Change;
  isEqual: (before: Row, after: Row) => boolean;
}

export type ComparedField<Row, Change extends string> = ValueField<Row, Change> | EqualityField<Row, Change>;

export interface SectionRules<Row, Change extends string> {
  /** Rows with different keys are never the same thing; rows with one key usually are. */
  keyOf: (row: Row) => string;
  /** Compared in this order, which is the order of `changes`. Fields not listed never count. */
  fields: readonly ComparedField<Row, Change>[];
  /** Whether two rows with one key can be the same thing at all (a reused pid is not). */
  isSameEntity?: (before: Row, after: Row) => boolean;
}

type Changed<Row, Change extends string> = ChangedRow<Row, Change>;

/** A result with the key it was found under, so the lists can be put in key order at the end. */
interface Keyed<T> {
  key: string;
  value: T;
}

interface DiffBuilder<Row, Change extends string> {
  added: Keyed<Row>[];
  removed: Keyed<Row>[];
  changed: Keyed<Changed<Row, Change>>[];
}

/** A row with the string that orders it among rows of its key (its signature, or its canonical JSON). */
interface OrderedRow<Row> {
  row: Row;
  order: string;
}

export function diffSection<Row, Change extends string>(
  before: readonly Row[] | undefined,
  after: readonly Row[] | undefined,
  rules: SectionRules<Row, Change>,
): SectionDiff<Row, Changed<Row, Change>> {
  if (before === undefined || after === undefined) return { collected: false, added: [], removed: [], changed: [] };
  const beforeGroups = groupByKey(before, rules.keyOf);
  const afterGroups = groupByKey(after, rules.keyOf);
  const builder: DiffBuilder<Row, Change> = { added: [], removed: [], changed: [] };
  for (const [key, rows] of beforeGroups) diffGroup(key, rows, afterGroups.get(key) ?? [], rules, builder);
  for (const [key, rows] of afterGroups) {
    if (!beforeGroups.has(key)) diffGroup(key, [], rows, rules, builder);
  }
  // Key order (stable, so a key's rows keep their canonical order) makes input order irrelevant.
  return {
    collected: true,
    added: sortByKey(builder.added),
    removed: sortByKey(builder.removed),
    changed: sortByKey(builder.changed),
  };
}

export function listDifferences<Row, Change extends string>(before: Row, after: Row, fields: readonly ComparedField<Row, Change>[]): Change[] {
  const changes: Change[] = [];
  for (const field of fields) {
    if (!isFieldEqual(field, before, after)) changes.push(field.name);
  }
  return changes;
}

function isFieldEqual<Row, Change extends string>(field: ComparedField<Row, Change>, before: Row, after: Row): boolean {
  if (field.isEqual) return field.isEqual(before, after);
  return 'comparable' in field && field.comparable(before) === field.comparable(after);
}

function groupByKey<Row>(rows: readonly Row[], keyOf: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function sortByKey<T>(entries: Keyed<T>[]): T[] {
  return entries.sort((a, b) => compareStrings(a.key, b.key)).map((entry) => entry.value);
}

function diffGroup<Row, Change extends string>(
  key: string,
  before: Row[],
  after: Row[],
  rules: SectionRules<Row, Change>,
  builder: DiffBuilder<Row, Change>,
): void {
  const onlyBefore = before.length === 1 ? before[0] : undefined;
  const onlyAfter = after.length === 1 ? after[0] : undefined;
  // The common case (one row each side) needs no ordering or signatures at all.
  if (onlyBefore !== undefined && onlyAfter !== undefined) {
    diffPair(key, onlyBefore, onlyAfter, rules, builder);
    return;
  }
  // Next most common, and all of a diff between snapshots far apart: one row that only one side has.
  if (onlyBefore !== undefined && after.length === 0) {
    builder.removed.push({ key, value: onlyBefore });
    return;
  }
  if (onlyAfter !== undefined && before.length === 0) {
    builder.added.push({ key, value: onlyAfter });
    return;
  }
  const signatureOf = createSignature(rules);
  const beforeRows = collapseDuplicates(before, rules, signatureOf);
  const afterRows = collapseDuplicates(after, rules, signatureOf);
  const unchanged = signatureOf
    ? matchBySignature(beforeRows, afterRows, rules)
    : matchRows(beforeRows, afterRows, (b, a) => isSame(rules, b, a) && hasNoDifferences(rules, b, a));
  const paired = rules.isSameEntity
    ? matchRows(unchanged.unmatchedBefore, unchanged.unmatchedAfter, (b, a) => isSame(rules, b, a))
    : matchInOrder(unchanged.unmatchedBefore, unchanged.unmatchedAfter);
  for (const [b, a] of paired.pairs) {
    builder.changed.push({ key, value: { before: b.row, after: a.row, changes: listDifferences(b.row, a.row, rules.fields) } });
  }
  for (const { row } of paired.unmatchedBefore) builder.removed.push({ key, value: row });
  for (const { row } of paired.unmatchedAfter) builder.added.push({ key, value: row });
}

function diffPair<Row, Change extends string>(key: string, before: Row, after: Row, rules: SectionRules<Row, Change>, builder: DiffBuilder<Row, Change>): void {
  if (!isSame(rules, before, after)) {
    builder.removed.push({ key, value: before });
    builder.added.push({ key, value: after });
    return;
  }
  const changes = listDifferences(before, after, rules.fields);
  if (changes.length > 0) builder.changed.push({ key, value: { before, after, changes } });
}

function isSame<Row, Change extends string>(rules: SectionRules<Row, Change>, before: Row, after: Row): boolean {
  return rules.isSameEntity ? rules.isSameEntity(before, after) : true;
}

function hasNoDifferences<Row, Change extends string>(rules: SectionRules<Row, Change>, before: Row, after: Row): boolean {
  return rules.fields.every((field) => isFieldEqual(field, before, after));
}

/** A string equal for two rows exactly when no field differs; undefined when a field has only custom equality. */
function createSignature<Row, Change extends string>(rules: SectionRules<Row, Change>): ((row: Row) => string) | undefined {
  const valueFields: ValueField<Row, Change>[] = [];
  for (const field of rules.fields) {
    if (!('comparable' in field)) return undefined;
    valueFields.push(field);
  }
  return (row) => JSON.stringify(valueFields.map((field) => field.comparable(row)));
}

/**
 * Rows of one key that no compared field tells apart count once (a set, not a multiset): a tool
 * printing a socket twice, or two sockets differing only in inode, is not a change. Survivors come
 * back in a content-defined order, and the survivor of a duplicate set is its canonical-JSON
 * smallest, so nothing depends on input order.
 */
function collapseDuplicates<Row, Change extends string>(
  rows: Row[],
  rules: SectionRules<Row, Change>,
  signatureOf: ((row: Row) => string) | undefined,
): OrderedRow<Row>[] {
  if (signatureOf === undefined) return collapseByComparison(rows, rules);
  const bySignature = new Map<string, Row[]>();
  for (const row of rows) {
    const signature = signatureOf(row);
    const same = bySignature.get(signature);
    if (same) same.push(row);
    else bySignature.set(signature, [row]);
  }
  const survivors: OrderedRow<Row>[] = [];
  for (const [signature, same] of bySignature) {
    const row = same.length === 1 ? same[0] : toCanonicalOrder(same)[0]?.row;
    if (row !== undefined) survivors.push({ row, order: signature });
  }
  return survivors.sort((a, b) => compareStrings(a.order, b.order));
}

/** Sections whose equality is not a value (traceroute paths) compare pairwise; their groups are tiny. */
function collapseByComparison<Row, Change extends string>(rows: Row[], rules: SectionRules<Row, Change>): OrderedRow<Row>[] {
  const survivors: OrderedRow<Row>[] = [];
  for (const entry of toCanonicalOrder(rows)) {
    const isDuplicate = survivors.some((kept) => isSame(rules, kept.row, entry.row) && hasNoDifferences(rules, kept.row, entry.row));
    if (!isDuplicate) survivors.push(entry);
  }
  return survivors;
}

function toCanonicalOrder<Row>(rows: Row[]): OrderedRow<Row>[] {
  return rows.map((row) => ({ row, order: canonicalJson(row) })).sort((a, b) => compareStrings(a.order, b.order));
}

interface RowMatch<Row> {
  pairs: Array<[OrderedRow<Row>, OrderedRow<Row>]>;
  unmatchedBefore: OrderedRow<Row>[];
  unmatchedAfter: OrderedRow<Row>[];
}

/** Survivors of collapseDuplicates carry distinct signatures, so one lookup per row suffices. */
function matchBySignature<Row, Change extends string>(before: OrderedRow<Row>[], after: OrderedRow<Row>[], rules: SectionRules<Row, Change>): RowMatch<Row> {
  const afterBySignature = new Map(after.map((entry) => [entry.order, entry] as const));
  const pairs: RowMatch<Row>['pairs'] = [];
  const unmatchedBefore: OrderedRow<Row>[] = [];
  for (const entry of before) {
    const match = afterBySignature.get(entry.order);
    if (match !== undefined && isSame(rules, entry.row, match.row)) {
      pairs.push([entry, match]);
      afterBySignature.delete(entry.order);
    } else {
      unmatchedBefore.push(entry);
    }
  }
  return { pairs, unmatchedBefore, unmatchedAfter: [...afterBySignature.values()] };
}

/** Any row may pair with any other (one socket shared by workers): pair them in order. */
function matchInOrder<Row>(before: OrderedRow<Row>[], after: OrderedRow<Row>[]): RowMatch<Row> {
  const count = Math.min(before.length, after.length);
  const pairs: RowMatch<Row>['pairs'] = [];
  for (let index = 0; index < count; index += 1) {
    const b = before[index];
    const a = after[index];
    if (b !== undefined && a !== undefined) pairs.push([b, a]);
  }
  return { pairs, unmatchedBefore: before.slice(count), unmatchedAfter: after.slice(count) };
}

/** Greedy in order: deterministic, and the groups that need it (one pid and command) are small. */
function matchRows<Row>(before: OrderedRow<Row>[], after: OrderedRow<Row>[], canMatch: (before: Row, after: Row) => boolean): RowMatch<Row> {
  const pairs: RowMatch<Row>['pairs'] = [];
  const unmatchedBefore: OrderedRow<Row>[] = [];
  const remainingAfter = [...after];
  for (const entry of before) {
    const index = remainingAfter.findIndex((candidate) => canMatch(entry.row, candidate.row));
    const match = index >= 0 ? remainingAfter[index] : undefined;
    if (match === undefined) {
      unmatchedBefore.push(entry);
      continue;
    }
    pairs.push([entry, match]);
    remainingAfter.splice(index, 1);
  }
  return { pairs, unmatchedBefore, unmatchedAfter: remainingAfter };
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
