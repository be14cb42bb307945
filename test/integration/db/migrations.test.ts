// The project's migration runner: transactional, checksum-checked, idempotent, safe when two
// servers start at once.
import { cp, mkdtemp, writeFile, rm, appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, MigrationError, readMigrations, runMigrations } from '@/lib/db/migrate';
import { openDatabase } from '@/lib/db/open-database';
import { PARTITION_SCHEMA, partitionName, type PartitionedTable } from '@/lib/db/partitions';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { mondayOnOrBefore, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import { readSnapshot } from '@/lib/snapshots/read-snapshot';
import { makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@/test/helpers/test-database';

const cleanups: (() => Promise<void>)[] = [];
const tablesPartitionedBy003 = ['Snapshot', 'Socket', 'Process', 'Interface', 'TracerouteHop', 'TracerouteRun'];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const test = await openTestDatabase({ migrate: false });
  cleanups.push(() => test.dispose());
  return test;
}

/** A copy of the migrations folder, without those after `upTo` when given. */
async function copyOfMigrations(upTo?: string): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sockscope-migrations-'));
  await cp(defaultMigrationsDir, directory, { recursive: true });
  cleanups.push(() => rm(directory, { recursive: true, force: true }));
  if (upTo) {
    for (const migration of await readMigrations(directory)) {
      if (migration.name > upTo) await rm(path.join(directory, migration.name), { recursive: true });
    }
  }
  return directory;
}

describe('migration runner', () => {
  it('applies every migration once and records it with its checksum', async () => {
    const { database } = await emptyDatabase();
    const all = await readMigrations();
    expect(await runMigrations(database.sql)).toEqual(all.map((migration) => migration.name));
    expect(await runMigrations(database.sql)).toEqual([]);
    const rows = await database.sql.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
    );
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

  it('converts a database filled under 001 and 002 to week partitions (003), then to row history (004), keeping every row and id', async () => {
    const { database } = await emptyDatabase();
    await runMigrations(database.sql, await copyOfMigrations('002_default_promiscuous_rules'));
    const sql = database.sql;
    const one = async <Row>(text: string, params: unknown[] = []) => (await sql.query<Row>(text, params))[0] as Row;
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

    // One host's history: first snapshot (changed), unchanged ones, a change of its sockets, and a set no snapshot uses.
    const { id: hostId } = await one<{ id: number }>(`INSERT INTO "Host" ("name") VALUES ('migrated') RETURNING "id"`);
    const newSet = async (section: string, hash: string) =>
      (
        await one<{ id: string }>(
          `INSERT INTO "SectionSet" ("hostId", "section", "hash", "rowCount") VALUES ($1, $2::"Section", $3, 1) RETURNING "id"::text AS "id"`,
          [hostId, section, hash],
        )
      ).id;
    const [socketsA, socketsB, unused, traceroutes] = [
      await newSet('sockets', 'a'),
      await newSet('sockets', 'b'),
      await newSet('sockets', 'u'),
      await newSet('traceroutes', 't'),
    ];
    for (const [setId, port] of [
      [socketsA, 22],
      [socketsB, 443],
      [unused, 8080],
    ] as const) {
      await sql.query(`INSERT INTO "Socket" ("setId", "proto", "localAddress", "localPort", "listening") VALUES ($1, 'tcp', '0.0.0.0', $2, true)`, [
        setId,
        port,
      ]);
    }
    const { id: runId } = await one<{ id: string }>(`INSERT INTO "TracerouteRun" ("setId", "target") VALUES ($1, 'example.org') RETURNING "id"::text AS "id"`, [
      traceroutes,
    ]);
    await sql.query(`INSERT INTO "TracerouteHop" ("runId", "hop", "probes") VALUES ($1, 1, '[]'), ($1, 2, '[]')`, [runId]);
    const snapshot = async (collectedAt: Date, sockets: string, changed: boolean) =>
      (
        await one<{ id: string }>(
          `INSERT INTO "Snapshot" ("hostId", "collectedAt", "idempotencyKey", "socketsSetId", "traceroutesSetId", "changedSections", "diffSummary")
           VALUES ($1, $2::timestamp(3), $3, $4, $5, CASE WHEN $6::boolean THEN ARRAY['sockets']::"Section"[] ELSE '{}' END,
                   jsonb_build_object('sockets', jsonb_build_object('added', CASE WHEN $6::boolean THEN 1 ELSE 0 END)))
           RETURNING "id"::text AS "id"`,
          [hostId, collectedAt.toISOString().replace('T', ' ').replace('Z', ''), `key-${collectedAt.getTime()}`, sockets, traceroutes, changed],
        )
      ).id;
    const first = await snapshot(daysAgo(100), socketsA, true);
    const expired = await snapshot(daysAgo(90), socketsA, false);
    const beforeChange = await snapshot(daysAgo(80), socketsA, false);
    const change = await snapshot(daysAgo(70), socketsB, true);
    const latest = await snapshot(daysAgo(1), socketsB, false);
    await sql.query(`UPDATE "Host" SET "lastSnapshotId" = $1 WHERE "id" = $2`, [latest, hostId]);

    expect(await runMigrations(sql, await copyOfMigrations('003_partition_by_retention'))).toEqual(['003_partition_by_retention']);

    const week = (collectedAt: Date, days: number) => toDateText(retainUntilFor(collectedAt, days, now));
    const changeWeek = week(daysAgo(70), 365);
    const snapshotWeeks = await sql.query<{ id: string; week: string }>(
      `SELECT "id"::text AS "id", "retainUntil"::text AS "week" FROM "Snapshot" ORDER BY "id"`,
    );
    expect(snapshotWeeks).toEqual([
      { id: first, week: week(daysAgo(100), 365) },
      { id: expired, week: toDateText(mondayOnOrBefore(now)) },
      { id: beforeChange, week: changeWeek }, // the previous snapshot of a change lives as long as it
      { id: change, week: changeWeek },
      { id: latest, week: week(daysAgo(1), 30) },
    ]);
    // A snapshot that changed nothing keeps no (all-zero) diff summary.
    const summaries = await sql.query<{ id: string; summary: unknown }>(`SELECT "id"::text AS "id", "diffSummary" AS "summary" FROM "Snapshot" ORDER BY "id"`);
    expect(summaries.map((row) => row.summary)).toEqual([{ sockets: { added: 1 } }, null, null, { sockets: { added: 1 } }, null]);
    // A set lives as long as its longest-kept snapshot; its rows (and a run's hops) with it.
    const setWeeks = await sql.query<{ id: string; week: string }>(`SELECT "id"::text AS "id", "retainUntil"::text AS "week" FROM "SectionSet" ORDER BY "id"`);
    expect(setWeeks).toEqual([
      { id: socketsA, week: changeWeek },
      { id: socketsB, week: changeWeek },
      { id: unused, week: toDateText(mondayOnOrBefore(now)) },
      { id: traceroutes, week: changeWeek },
    ]);
    const rowWeeks = await sql.query<{ set: string; week: string }>(`SELECT "setId"::text AS "set", "retainUntil"::text AS "week" FROM "Socket" ORDER BY "id"`);
    expect(rowWeeks).toEqual(setWeeks.filter((set) => set.id !== traceroutes).map((set) => ({ set: set.id, week: set.week })));
    const hopWeeks = await sql.query<{ week: string }>(`SELECT "retainUntil"::text AS "week" FROM "TracerouteHop" WHERE "runId" = $1`, [runId]);
    expect(hopWeeks).toEqual([{ week: changeWeek }, { week: changeWeek }]);

    // Every week it needs has its six partitions; the old tables are gone.
    for (const { week: weekText } of snapshotWeeks) {
      const names = tablesPartitionedBy003.map((table) => partitionName(table as PartitionedTable, new Date(`${weekText}T00:00:00Z`)));
      const found = await sql.query(
        `SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
        [PARTITION_SCHEMA, names],
      );
      expect(found).toHaveLength(names.length);
    }
    expect(await sql.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sockscope_before_003'`)).toEqual([]);

    expect(await runMigrations(sql, await copyOfMigrations('004_row_history'))).toEqual(['004_row_history']);
    // Snapshots are numbered per host and say what they collected; weeks and ids are kept.
    const snapshots = await sql.query<{ id: string; seq: number; sections: string[]; week: string }>(
      `SELECT "id"::text AS "id", "seq", "sections"::text[] AS "sections", "retainUntil"::text AS "week" FROM "Snapshot" ORDER BY "id"`,
    );
    expect(snapshots.map(({ id, seq, week }) => ({ id, seq, week }))).toEqual(snapshotWeeks.map(({ id, week }, index) => ({ id, seq: index + 1, week })));
    expect(snapshots.every((row) => row.sections.join() === 'sockets,traceroutes')).toBe(true);
    // Each set's rows are present over the stretch of snapshots that used it: port 22 in 1–3, 443 from 4 on.
    const sockets = await sql.query<{ port: number; opened: number; closed: number | null; week: string }>(
      `SELECT "localPort" AS "port", "openedSeq" AS "opened", "closedSeq" AS "closed", "retainUntil"::text AS "week" FROM "Socket" ORDER BY "openedSeq"`,
    );
    expect(sockets).toEqual([
      { port: 22, opened: 1, closed: 4, week: changeWeek },
      { port: 443, opened: 4, closed: null, week: 'infinity' },
    ]);
    const [section] = await sql.query<{ digest: string | null; rowCount: number; seq: number }>(
      `SELECT "digest", "rowCount", "seq" FROM "HostSection" WHERE "hostId" = $1`,
      [hostId],
    );
    expect(section).toEqual({ digest: null, rowCount: 1, seq: 5 });
    expect(await sql.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'sockscope_before_004'`)).toEqual([]);
    expect(await sql.query(`SELECT relname FROM pg_class WHERE relname LIKE '%before_004%'`)).toEqual([]);

    // It reads back whole: every snapshot its rows, the runs with the snapshot that first carried them.
    expect((await readSnapshot(database.prisma, BigInt(beforeChange)))?.sockets?.map((socket) => socket.localPort)).toEqual([22]);
    const stored = await readSnapshot(database.prisma, BigInt(latest));
    expect(stored?.sockets?.map((socket) => socket.localPort)).toEqual([443]);
    expect((await readSnapshot(database.prisma, BigInt(first)))?.traceroutes?.[0]?.hops.map((hop) => hop.hop)).toEqual([1, 2]);

    // The later migrations, then the host's next snapshot replaces its migrated rows once (they carry no row hash), by content no change.
    await runMigrations(sql);
    const migrated = { id: hostId, name: 'migrated', labels: [] };
    const again = await ingestValidSnapshot(database.sql, migrated, makeSnapshot('migrated', { sockets: [{ ...stored!.sockets![0]! }] }));
    expect(again.changed.sockets).toBe(false);
    expect(again.analysis?.alerts).toEqual([]);
    expect(BigInt(again.id)).toBeGreaterThan(BigInt(latest));
    const [hashed] = await sql.query<{ open: number; unhashed: number }>(
      `SELECT count(*)::int AS "open", count(*) FILTER (WHERE "rowHash" IS NULL)::int AS "unhashed" FROM "Socket" WHERE "hostId" = $1 AND "retainUntil" = 'infinity'`,
      [hostId],
    );
    expect(hashed).toEqual({ open: 1, unhashed: 0 });
  });
});
