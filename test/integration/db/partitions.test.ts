// Week partitions exist before rows need them: the weeks ingest targets when the database opens, any
// other on first use; two servers creating the same ones at once both succeed.
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/lib/db/open-database';
import { ensurePartitions, listPartitionWeeks, PARTITION_SCHEMA, partitionedTables } from '@/lib/db/partitions';
import { enrollHost, findHostByToken } from '@/lib/hosts/host-tokens';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { addWeeks, mondayOnOrBefore, toDateText, weeksIngestTargets } from '@/lib/retention/retention-weeks';
import { makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/helpers/test-database';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function migratedDatabase(): Promise<TestDatabase> {
  const test = await openTestDatabase();
  cleanups.push(() => test.dispose());
  return test;
}

const listWeeks = async (database: Database) => (await listPartitionWeeks((text, params) => database.sql.query(text, [...params]))).map(toDateText);

async function partitionCount(database: Database, week: Date): Promise<number> {
  const [row] = await database.sql.query<{ count: number }>(
    `SELECT count(*)::int AS "count" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND right(c.relname, 8) = $2`,
    [PARTITION_SCHEMA, toDateText(week).replaceAll('-', '')],
  );
  return row?.count ?? 0;
}

describe('week partitions', () => {
  it('exist for the weeks ingest targets once the database is open', async () => {
    const { database } = await migratedDatabase();
    const expected = weeksIngestTargets({ unchangedDays: 30, changedDays: 365 }, new Date()).map(toDateText);
    expect(await listWeeks(database)).toEqual(expected);
    for (const week of expected) expect(await partitionCount(database, new Date(`${week}T00:00:00Z`))).toBe(partitionedTables.length);
  });

  it('are created when a snapshot needs a week that has none yet', async () => {
    const { database } = await migratedDatabase();
    const { token } = await enrollHost(database.prisma, 'late');
    const host = (await findHostByToken(database.prisma, token))!;
    // Collected 300 days ago and the host's first: kept 365 days from then, a week nobody created ahead.
    const collectedAt = new Date(Date.now() - 300 * 86_400_000);
    const stored = await ingestValidSnapshot(database.sql, host, makeSnapshot('late', { collectedAt: collectedAt.toISOString() }));
    const [row] = await database.sql.query<{ week: string }>(`SELECT "retainUntil"::text AS "week" FROM "Snapshot" WHERE "id" = $1`, [stored.id]);
    expect(await partitionCount(database, new Date(`${row!.week}T00:00:00Z`))).toBe(partitionedTables.length);
  });

  it('are created once when two servers create the same weeks at the same moment', async () => {
    const { database, env } = await migratedDatabase();
    const far = addWeeks(mondayOnOrBefore(new Date()), 200);
    const weeks = [far, addWeeks(far, 1), addWeeks(far, 2)];
    const second =
      testDatabaseKind() === 'pglite' ? database : await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '', migrate: false });
    if (second !== database) cleanups.unshift(() => second.close());
    await Promise.all([
      ensurePartitions((statement) => database.sql.exec(statement), weeks),
      ensurePartitions((statement) => second.sql.exec(statement), weeks),
      ensurePartitions((statement) => database.prisma.$executeRawUnsafe(statement), weeks),
    ]);
    for (const week of weeks) expect(await partitionCount(database, week)).toBe(partitionedTables.length);
  });
});
