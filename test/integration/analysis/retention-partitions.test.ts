// Retention is a partition drop: a week that has begun leaves the catalogue, and what must stay
// (the latest snapshot, a section set a later snapshot still uses, with its rows) moved out first
// and reads back whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDatabase } from '@/lib/db/client';
import { PARTITION_SCHEMA, partitionName } from '@/lib/db/partitions';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { purgeSnapshots } from '@/lib/retention/purge-snapshots';
import { firstSurvivingWeek, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import { readSnapshot } from '@/lib/snapshots/read-snapshot';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { tracerouteRun } from '@/test/helpers/traceroutes';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => {
  await test.dispose();
});

const DAY_MS = 86_400_000;
const policy = { unchangedDays: 30, changedDays: 365 };

async function newHost(name: string): Promise<AuthenticatedHost> {
  const { token } = await enrollHost(test.database.prisma, name);
  return (await findHostByToken(test.database.prisma, token))!;
}

async function weekOf(snapshotId: string): Promise<Date> {
  const [row] = await test.database.sql.query<{ week: string }>(`SELECT "retainUntil"::text AS "week" FROM "Snapshot" WHERE "id" = $1`, [snapshotId]);
  return new Date(`${row!.week}T00:00:00.000Z`);
}

async function partitionsOfWeek(week: Date): Promise<string[]> {
  const rows = await test.database.sql.query<{ name: string }>(
    `SELECT c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND right(c.relname, 8) = $2`,
    [PARTITION_SCHEMA, toDateText(week).replaceAll('-', '')],
  );
  return rows.map((row) => row.name);
}

async function snapshotIdsOf(host: AuthenticatedHost): Promise<string[]> {
  const rows = await test.database.prisma.snapshot.findMany({ where: { hostId: host.id }, orderBy: { id: 'asc' }, select: { id: true } });
  return rows.map((row) => row.id.toString());
}

const withTraceroute = (host: string, collectedAt: Date) =>
  makeSnapshot(host, { collectedAt: collectedAt.toISOString(), sockets: [listener(22), listener(443)], traceroutes: [tracerouteRun('example.org', [[1.2, 1.4], [9.8, null]])] });

describe('retention by partition', () => {
  it('drops an expired week as whole partitions and keeps the latest snapshot whole', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('weekly');
    const now = new Date();
    const post = async (minutesAgo: number) =>
      (await ingestSnapshot(prisma, host, withTraceroute('weekly', new Date(now.getTime() - minutesAgo * 60_000)), { now, retention: policy })).id;
    const first = await post(30); // the host's first: kept a year
    await post(20); // unchanged: kept 30 days
    await post(10); // unchanged: kept 30 days
    const latest = await post(0); // unchanged, but the host's latest
    const unchangedWeek = await weekOf(latest);
    expect(unchangedWeek.getTime()).toBeGreaterThanOrEqual(now.getTime() + policy.unchangedDays * DAY_MS);
    expect(await partitionsOfWeek(unchangedWeek)).toHaveLength(6);
    const latestBefore = await readSnapshot(prisma, BigInt(latest));
    const firstBefore = await readSnapshot(prisma, BigInt(first));

    const purgeAt = new Date(unchangedWeek.getTime() + 3_600_000);
    const result = await purgeSnapshots(prisma, policy, purgeAt);

    expect(await partitionsOfWeek(unchangedWeek)).toEqual([]);
    expect(await snapshotIdsOf(host)).toEqual([first, latest]);
    expect(result.snapshots).toBe(2);
    expect((await weekOf(latest)).getTime()).toBe(firstSurvivingWeek(purgeAt).getTime());
    expect(await readSnapshot(prisma, BigInt(latest))).toEqual(latestBefore);
    expect(await readSnapshot(prisma, BigInt(first))).toEqual(firstBefore);
  });

  it('moves a section set whose week expires, with its rows and hops, to the week of the snapshot still using it', async () => {
    const prisma = test.database.prisma;
    const sql = test.database.sql;
    const host = await newHost('long-lived');
    const now = new Date();
    // Created 360 days ago by the host's first snapshot (kept 365 days): its week comes in ~5 days.
    const creator = (await ingestSnapshot(prisma, host, withTraceroute('long-lived', new Date(now.getTime() - 360 * DAY_MS)), { now, retention: policy })).id;
    const latest = (await ingestSnapshot(prisma, host, withTraceroute('long-lived', now), { now, retention: policy })).id;
    await prisma.alert.updateMany({ where: { hostId: host.id }, data: { state: 'closed', liveKey: null } });
    const setWeek = await weekOf(creator);
    const latestWeek = await weekOf(latest);
    expect(setWeek.getTime()).toBeLessThan(latestWeek.getTime());
    const [sets] = await sql.query<{ sockets: string; traceroutes: string }>(
      `SELECT "socketsSetId"::text AS "sockets", "traceroutesSetId"::text AS "traceroutes" FROM "Snapshot" WHERE "id" = $1`,
      [latest],
    );
    const before = await readSnapshot(prisma, BigInt(latest));

    await purgeSnapshots(prisma, policy, new Date(setWeek.getTime() + 3_600_000));

    expect(await snapshotIdsOf(host)).toEqual([latest]);
    expect(await partitionsOfWeek(setWeek)).toEqual([]);
    const [set] = await sql.query<{ week: string }>(`SELECT "retainUntil"::text AS "week" FROM "SectionSet" WHERE "id" = $1`, [sets!.sockets]);
    expect(set?.week).toBe(toDateText(latestWeek));
    const socketHomes = await sql.query<{ home: string }>(`SELECT DISTINCT tableoid::regclass::text AS "home" FROM "Socket" WHERE "setId" = $1`, [sets!.sockets]);
    expect(socketHomes.map((row) => row.home)).toEqual([`${PARTITION_SCHEMA}."${partitionName('Socket', latestWeek)}"`]);
    const hopHomes = await sql.query<{ home: string }>(
      `SELECT DISTINCT h.tableoid::regclass::text AS "home" FROM "TracerouteHop" h JOIN "TracerouteRun" r ON r."id" = h."runId" WHERE r."setId" = $1`,
      [sets!.traceroutes],
    );
    expect(hopHomes.map((row) => row.home)).toEqual([`${PARTITION_SCHEMA}."${partitionName('TracerouteHop', latestWeek)}"`]);
    expect(await readSnapshot(prisma, BigInt(latest))).toEqual(before);
  });

  it('leaves every host whole when snapshots arrive while the week they go to is dropped', async () => {
    const prisma = test.database.prisma;
    // As in the server: unchanged snapshots take the fast path on the driver.
    setDatabase(Promise.resolve(test.database));
    const hosts = await Promise.all(['busy-1', 'busy-2', 'busy-3', 'busy-4'].map(newHost));
    const now = new Date();
    const contentOf = (round: number) => ({ sockets: round % 5 === 4 ? [listener(22), listener(9000 + round)] : [listener(22)] });
    for (const host of hosts) await ingestSnapshot(prisma, host, makeSnapshot(host.name, contentOf(0)));
    let stopped = false;
    let stored = 0;
    const ingestUntilStopped = async (host: AuthenticatedHost) => {
      for (let round = 1; !stopped; round += 1) {
        // Dropping and creating partitions under load may deadlock with an ingest: PostgreSQL aborts
        // one side, and the collector posts again (the snapshot stays spooled), as here.
        await ingestSnapshot(prisma, host, makeSnapshot(host.name, contentOf(round))).then(
          () => (stored += 1),
          () => undefined,
        );
      }
    };
    const collectors = hosts.map(ingestUntilStopped);
    // The week unchanged snapshots go to now is dropped while they keep arriving.
    const purgeAt = new Date(retainUntilFor(now, policy.unchangedDays, now).getTime() + 3_600_000);
    let purges = 0;
    for (let attempt = 0; attempt < 20 && purges < 3; attempt += 1) {
      // A purge that loses a deadlock runs again, as the hourly job would.
      await purgeSnapshots(prisma, policy, purgeAt).then(
        () => (purges += 1),
        () => undefined,
      );
    }
    stopped = true;
    await Promise.all(collectors);
    expect(purges).toBe(3);
    expect(stored).toBeGreaterThan(hosts.length);

    for (const host of hosts) {
      const latest = await prisma.host.findUniqueOrThrow({ where: { id: host.id }, select: { lastSnapshotId: true } });
      const stored = await readSnapshot(prisma, latest.lastSnapshotId!);
      expect(stored?.sockets?.length, host.name).toBeGreaterThan(0);
      expect(stored?.processes?.length, host.name).toBeGreaterThan(0);
      expect(stored?.interfaces?.length, host.name).toBeGreaterThan(0);
    }
    // No snapshot points at a section set that is gone, and every set has all its rows.
    const dangling = await test.database.sql.query(
      `SELECT s."id" FROM "Snapshot" s
        CROSS JOIN LATERAL (VALUES (s."socketsSetId"), (s."processesSetId"), (s."interfacesSetId"), (s."traceroutesSetId")) u("setId")
        WHERE u."setId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "SectionSet" st WHERE st."id" = u."setId")`,
    );
    expect(dangling).toEqual([]);
    const incomplete = await test.database.sql.query(
      `SELECT st."id" FROM "SectionSet" st
        WHERE st."section" IN ('sockets', 'processes', 'interfaces')
          AND st."rowCount" <> (SELECT count(*) FROM "Socket" k WHERE k."setId" = st."id") + (SELECT count(*) FROM "Process" p WHERE p."setId" = st."id")
                             + (SELECT count(*) FROM "Interface" i WHERE i."setId" = st."id")`,
    );
    expect(incomplete).toEqual([]);
  });
});
