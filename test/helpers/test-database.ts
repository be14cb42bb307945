// A fresh, migrated database per test file: a new PostgreSQL database when TEST_DB=postgres
// (created next to TEST_DATABASE_URL, dropped afterwards), an embedded PGlite in a temp dir otherwise.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '@/lib/db/open-database';

export type TestDatabaseKind = 'postgres' | 'pglite';

export interface TestDatabase {
  kind: TestDatabaseKind;
  database: Database;
  /** For starting a server on the same data: DATABASE_URL (postgres) or DATA_DIR (pglite). */
  env: Record<string, string>;
  dispose: () => Promise<void>;
}

export const testDatabaseKind = (): TestDatabaseKind => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite');
// `||`, not `??`: scripts/test.mjs passes an empty TEST_DATABASE_URL when no PostgreSQL URL is configured.
const baseDatabaseUrl = () => process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';

/** A new, empty database on the PostgreSQL server of `baseUrl`, named `prefix_…`, dropped (even while in use) by `drop`. */
export async function createScratchDatabase(baseUrl: string, prefix: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const base = new URL(baseUrl);
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export const createEmptyPostgresDatabase = () => createScratchDatabase(baseDatabaseUrl(), 'sockscope_test');

export async function openTestDatabase(options: { migrate?: boolean; kind?: TestDatabaseKind } = {}): Promise<TestDatabase> {
  const kind = options.kind ?? testDatabaseKind();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-test-'));
  if (kind === 'postgres') {
    const created = await createEmptyPostgresDatabase();
    const database = await openDatabase({ databaseUrl: created.url, dataDir, migrate: options.migrate });
    return {
      kind,
      database,
      env: { DATABASE_URL: created.url, DATA_DIR: dataDir },
      async dispose() {
        await database.close();
        await created.drop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const database = await openDatabase({ dataDir, migrate: options.migrate });
  return {
    kind,
    database,
    env: { DATA_DIR: dataDir },
    async dispose() {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
