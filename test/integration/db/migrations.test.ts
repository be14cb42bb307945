// The project's migration runner: transactional, checksum-checked, idempotent, safe when two
// servers start at once.
import { cp, mkdtemp, writeFile, rm, appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, MigrationError, readMigrations, runMigrations } from '@/lib/db/migrate';
import { openDatabase } from '@/lib/db/open-database';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/helpers/test-database';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const test = await openTestDatabase({ migrate: false });
  cleanups.push(() => test.dispose());
  return test;
}

async function copyOfMigrations(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sockscope-migrations-'));
  await cp(defaultMigrationsDir, directory, { recursive: true });
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

describe('migration runner', () => {
  it('applies every migration once and records it with its checksum', async () => {
    const { database } = await emptyDatabase();
    const all = await readMigrations();
    expect(await runMigrations(database.sql)).toEqual(all.map((migration) => migration.name));
    expect(await runMigrations(database.sql)).toEqual([]);
    const rows = await database.sql.query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows).toEqual(all.map((migration) => ({ migration_name: migration.name, checksum: migration.checksum })));
  });

  it('refuses to start when an applied migration was edited', async () => {
    const { database } = await emptyDatabase();
    const directory = await copyOfMigrations();
    await runMigrations(database.sql, directory);
    await appendFile(path.join(directory, '001_init', 'migration.sql'), '\n-- edited afterwards\n');
    await expect(runMigrations(database.sql, directory)).rejects.toThrow(MigrationError);
    await expect(runMigrations(database.sql, directory)).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls a failing migration back whole, recording nothing', async () => {
    const { database } = await emptyDatabase();
    const directory = await copyOfMigrations();
    await runMigrations(database.sql, directory);
    await mkdir(path.join(directory, '999_broken'));
    await writeFile(path.join(directory, '999_broken', 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";\n');
    await expect(runMigrations(database.sql, directory)).rejects.toThrow();
    const half = await database.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`);
    expect(half).toHaveLength(0);
    const recorded = await database.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '999_broken'`);
    expect(recorded).toHaveLength(0);
  });

  it('applies each migration once when two servers start at the same moment', async () => {
    const { database, env } = await emptyDatabase();
    if (testDatabaseKind() === 'pglite') {
      // One process owns an embedded database; concurrency there is two calls in one process.
      const results = await Promise.all([runMigrations(database.sql), runMigrations(database.sql)]);
      expect(results.flat().sort()).toEqual((await readMigrations()).map((migration) => migration.name));
    } else {
      const second = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '', migrate: false });
      cleanups.unshift(() => second.close());
      const results = await Promise.all([runMigrations(database.sql), runMigrations(second.sql)]);
      expect(results.flat().sort()).toEqual((await readMigrations()).map((migration) => migration.name));
    }
    const rows = await database.sql.query(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(rows).toHaveLength((await readMigrations()).length);
  });
});
