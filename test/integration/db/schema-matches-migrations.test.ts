// The hand-written SQL migrations must produce exactly what schema.prisma describes: every model,
// field, type, nullability, default, index, enum and foreign key. Prisma's own schema parser
// (prisma-schema-wasm) reads schema.prisma; the database's catalogue says what the SQL built.
// Partitioned tables are compared by their parent in `public` (partitioned indexes included); their
// week partitions live in another schema and are checked apart, as are the foreign keys PostgreSQL
// clones onto each partition.
import { readFileSync } from 'node:fs';
import schemaWasm from '@prisma/prisma-schema-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITION_SCHEMA, partitionedTables, rowTables } from '@/lib/db/partitions';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

interface DmmfField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  /** `@db.Date` reads ["Date", []]. */
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
}

const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: readFileSync('prisma/schema.prisma', 'utf8') }))) as Dmmf;
const models = dmmf.datamodel.models;

const sqlTypeByPrismaType: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Float: 'double precision',
};

const sqlTypeByNativeType: Record<string, string> = {
  Date: 'date',
  Uuid: 'uuid',
};

function expectedColumnType(field: DmmfField): string {
  const nativeType = field.nativeType?.[0];
  const base = field.kind === 'enum' ? `"${field.type}"` : nativeType ? sqlTypeByNativeType[nativeType] : sqlTypeByPrismaType[field.type];
  if (!base) throw new Error(`no SQL type known for ${nativeType ?? field.type}`);
  return field.isList ? `${base}[]` : base;
}

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => {
  await test.dispose();
});

const query = <Row>(text: string, params: unknown[] = []) => test.database.sql.query<Row>(text, params);

describe('the migrated database matches schema.prisma', () => {
  it('has one table per model and no others', async () => {
    const tables = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((row) => row.table_name).sort()).toEqual(models.map((model) => model.name).sort());
  });

  it('has every enum with the same values', async () => {
    const rows = await query<{ name: string; value: string }>(
      `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`,
    );
    const actual: Record<string, string[]> = {};
    for (const row of rows) (actual[row.name] ??= []).push(row.value);
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((item) => [item.name, item.values.map((value) => value.name)]));
    expect(actual).toEqual(expected);
  });

  it.each(models.map((model) => [model.name, model] as const))('model %s: columns, types, nullability and defaults', async (_name, model) => {
    const columns = await query<{ name: string; type: string; nullable: boolean; has_default: boolean }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, a.atthasdef AS has_default
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [model.name],
    );
    const expected = model.fields
      .filter((field) => field.kind !== 'object')
      .map((field) => ({
        name: field.name,
        type: expectedColumnType(field).replace(/"/g, (match) => (field.kind === 'enum' ? match : '')),
        // Prisma creates list columns without NOT NULL.
        nullable: field.isList || !field.isRequired,
        has_default: field.hasDefaultValue,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const actual = columns.map((column) => ({ ...column })).sort((a, b) => a.name.localeCompare(b.name));
    expect(actual).toEqual(expected);
  });

  it('has exactly the primary keys, unique and plain indexes the schema declares', async () => {
    const rows = await query<{ table: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      `SELECT t.relname AS table, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`,
    );
    const describeIndex = (table: string, kind: string, columns: string[]) => `${table}:${kind}:${columns.join(',')}`;
    const actual = rows.map((row) => describeIndex(row.table, row.is_primary ? 'id' : row.is_unique ? 'unique' : 'normal', row.columns)).sort();
    const expected = dmmf.datamodel.indexes
      .map((index) =>
        describeIndex(
          index.model,
          index.type,
          index.fields.map((field) => field.name),
        ),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the foreign keys of every relation, with their delete rules', async () => {
    const rows = await query<{ table: string; columns: string[]; target: string; target_columns: string[]; on_delete: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target,
              array(SELECT attname FROM unnest(c.conkey) k(n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)::text[] AS columns,
              array(SELECT attname FROM unnest(c.confkey) k(n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n)::text[] AS target_columns,
              c.confdeltype AS on_delete
         FROM pg_constraint c WHERE c.contype = 'f' AND c.conparentid = 0`,
    );
    const deleteRule: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };
    const actual = rows
      .map(
        (row) =>
          `${row.table.replace(/"/g, '')}(${row.columns.join(',')})->${row.target.replace(/"/g, '')}(${row.target_columns.join(',')}) ${deleteRule[row.on_delete]}`,
      )
      .sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === 'object' && field.relationFromFields && field.relationFromFields.length > 0)
          .map((field) => {
            const optional = model.fields.filter((candidate) => field.relationFromFields?.includes(candidate.name)).some((candidate) => !candidate.isRequired);
            const onDelete = field.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict');
            return `${model.name}(${field.relationFromFields?.join(',')})->${field.type}(${field.relationToFields?.join(',')}) ${onDelete}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('partitions exactly the snapshot and section row tables, by RANGE ("retainUntil")', async () => {
    const rows = await query<{ table: string; key: string }>(
      `SELECT c.relname AS table, pg_get_partkeydef(c.oid) AS key
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'p'`,
    );
    const actual = rows.map((row) => `${row.table} ${row.key}`).sort();
    expect(actual).toEqual(partitionedTables.map((table) => `${table} RANGE ("retainUntil")`).sort());
  });

  it("holds in the partition schema only week partitions of those tables, each named after its week, and the row tables' open partitions", async () => {
    const rows = await query<{ name: string; parent: string | null; bound: string | null }>(
      `SELECT c.relname AS name, parent.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
         LEFT JOIN pg_class parent ON parent.oid = i.inhparent
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
      [PARTITION_SCHEMA],
    );
    expect(rows.length).toBeGreaterThan(0);
    const open = rows.filter((row) => row.name.endsWith('_open'));
    expect(open.map((row) => [row.name, row.parent, row.bound]).sort()).toEqual(
      rowTables.map((table) => [`${table}_open`, table, "FOR VALUES FROM ('infinity') TO (MAXVALUE)"]).sort(),
    );
    for (const row of rows.filter((candidate) => !candidate.name.endsWith('_open'))) {
      const week = /^(\w+)_(\d{4})(\d{2})(\d{2})$/.exec(row.name);
      expect(week, row.name).not.toBeNull();
      const [, table, year, month, day] = week as RegExpExecArray;
      expect(row.parent).toBe(table);
      const monday = new Date(`${year}-${month}-${day}T00:00:00Z`);
      expect(monday.getUTCDay(), row.name).toBe(1);
      const next = new Date(monday.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
      expect(row.bound).toBe(`FOR VALUES FROM ('${year}-${month}-${day}') TO ('${next}')`);
    }
  });

  it("indexes each row table's partitions as docs/storage.md says: week partitions by presence (GiST), open ones for ingest, reads and searches", async () => {
    const rows = await query<{ partition: string; definition: string }>(
      `SELECT c.relname AS partition, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT i.indisprimary`,
      [PARTITION_SCHEMA],
    );
    const shapeOf = (definition: string) => definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ USING /, '').replaceAll('"', '');
    const byPartition = new Map<string, string[]>();
    for (const row of rows) byPartition.set(row.partition, [...(byPartition.get(row.partition) ?? []), shapeOf(row.definition)].sort());
    for (const table of rowTables) {
      const weeks = [...byPartition.keys()].filter((name) => new RegExp(`^${table}_\\d{8}$`).test(name));
      expect(weeks.length, table).toBeGreaterThan(0);
      for (const week of weeks) expect(byPartition.get(week), week).toEqual(['gist (hostId, openedSeq, closedSeq)']);
      const open = byPartition.get(`${table}_open`) ?? [];
      expect(open, table).toEqual(expect.arrayContaining(['btree (hostId, openedSeq)', 'btree (hostId, rowHash)']));
    }
    expect(byPartition.get('Socket_open')).toEqual(expect.arrayContaining(['btree (localPort) WHERE listening', 'btree (hostId) WHERE listening']));
  });
});
