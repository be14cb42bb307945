// A database whose applied migrations do not match prisma/migrations (one edited after it was
// applied, or one the code does not know) must stop the server at start, with a sentence that
// says why — never a server running on a schema it does not understand.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { startAppServer } from '@/test/helpers/app-server';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let testDatabase: TestDatabase | null = null;

afterEach(async () => {
  if (testDatabase?.kind === 'pglite') await rm(testDatabase.env.DATA_DIR ?? '', { recursive: true, force: true });
  else await testDatabase?.dispose();
  testDatabase = null;
});

async function tamperedDatabase(statement: string): Promise<Record<string, string>> {
  testDatabase = await openTestDatabase();
  await testDatabase.database.sql.exec(statement);
  // The embedded database belongs to one process: hand it over to the server.
  if (testDatabase.kind === 'pglite') await testDatabase.database.close();
  return testDatabase.env;
}

async function startFailure(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const failure = await startAppServer({ keepData: { env } }).then(
    async (server) => {
      await server.stop();
      throw new Error('the server started on a database with mismatched migrations');
    },
    (error: Error) => error.message,
  );
  const code = Number(/server exited with (\d+)/.exec(failure)?.[1]);
  return { code, output: failure };
}

describe('server start on a database with mismatched migrations', () => {
  it('exits non-zero naming the edited migration', async () => {
    const env = await tamperedDatabase(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = '001_init'`);
    const { code, output } = await startFailure(env);
    expect(code).not.toBe(0);
    expect(Number.isNaN(code)).toBe(false);
    expect(output).toMatch(/Migration 001_init was edited after it was applied \(checksum differs\); refusing to start/);
    expect(output).not.toMatch(/dashboard on http/);
  });

  it('exits non-zero naming a migration the code does not have', async () => {
    const env = await tamperedDatabase(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('00000000-0000-0000-0000-000000000999', repeat('a', 64), now(), '999_from_the_future', 1)`,
    );
    const { code, output } = await startFailure(env);
    expect(code).not.toBe(0);
    expect(output).toMatch(/Migration 999_from_the_future is applied in the database but missing from prisma\/migrations; refusing to start/);
  });
});
