// Applies prisma/migrations/NNN_name/migration.sql in order, in one transaction, recording each
// in Prisma's own `_prisma_migrations` table (so `prisma migrate deploy` agrees where it can run).
// An advisory lock makes two servers starting at once apply each migration once; a migration
// whose file changed after it was applied stops everything.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlClient, SqlRunner } from './sql-client';

export const defaultMigrationsDir = path.resolve(process.cwd(), 'prisma/migrations');

// Arbitrary constant shared by every Sockscope process: "SOCKSCOP" in ASCII, fits in a bigint.
const MIGRATION_LOCK_KEY = '6004799503160660048';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export async function readMigrations(directory = defaultMigrationsDir): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory() && /^\d+_[A-Za-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/** Returns the names of the migrations this call applied (empty when the database was current). */
export async function runMigrations(sql: SqlClient, directory = defaultMigrationsDir): Promise<string[]> {
  const migrations = await readMigrations(directory);
  return sql.transaction(async (tx) => {
    if (sql.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(createMigrationsTable);
    const applied = await tx.query<AppliedRow>(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    checkAppliedMatchFiles(applied, migrations);
    const appliedNames = new Set(applied.map((row) => row.migration_name));
    const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
    for (const migration of pending) await applyMigration(tx, migration);
    return pending.map((migration) => migration.name);
  });
}

function checkAppliedMatchFiles(applied: AppliedRow[], migrations: Migration[]): void {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  for (const row of applied) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(`Migration ${row.migration_name} is applied in the database but missing from prisma/migrations; refusing to start.`);
    }
    if (row.finished_at === null) {
      throw new MigrationError(`Migration ${row.migration_name} started but never finished; repair the database first.`);
    }
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was edited after it was applied (checksum differs); refusing to start. ` +
          'Add a new migration instead of changing an applied one.',
      );
    }
  }
}

async function applyMigration(tx: SqlRunner, migration: Migration): Promise<void> {
  await tx.exec(migration.sql);
  await tx.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
     VALUES ($1, $2, now(), $3, 1)`,
    [randomUUID(), migration.checksum, migration.name],
  );
}
