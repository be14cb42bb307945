// Retention is a partition drop: a week that has begun leaves the catalogue, and what must stay
// (the latest snapshot, a snapshot an alert points at, the rows present in them) moved out first
// and reads back whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITION_SCHEMA } from '@/lib/db/partitions';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { purgeSnapshots } from '@/lib/retention/purge-snapshots';
import { firstSurvivingWeek, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import type { InterfaceRow } from '@/lib/schemas/snapshot';
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
  makeSnapshot(host, {
    collectedAt: collectedAt.toISOString(),
    sockets: [listener(22), listener(443)],
    traceroutes: [
      tracerouteRun('example.org', [
        [1.2, 1.4],
        [9.8, null],
      ]),
    ],
  });

describe('retention by partition', () => {
  it('drops an expired week as whole partitions and keeps the latest snapshot whole', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('weekly');
    const now = new Date();
    const post = async (minutesAgo: number, withRuns: boolean) => {
      const collectedAt = new Date(now.getTime() - minutesAgo * 60_000);
      const snapshot = withRuns ? withTraceroute('weekly', collectedAt) : { ...withTraceroute('weekly', collectedAt), traceroutes: undefined };
      return (await ingestValidSnapshot(test.database.sql, host, snapshot, { now, retention: policy })).id;
    };
    const first = await post(30, true); // the host's first: kept a year
    await post(20, false); // unchanged: kept 30 days
    await post(10, false); // unchanged: kept 30 days
    const latest = await post(0, false); // unchanged, but the host's latest
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

  it('keeps the rows present in a snapshot an alert points at when the week they closed in expires', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('long-lived');
    const now = new Date();
    const sniffing: InterfaceRow = { name: 'eth0', flags: ['UP', 'PROMISC'], promiscuous: true, mtu: 1500, mac: null, addresses: [] };
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
    // The first snapshot raises interface.promiscuous_on, which stays open and points at it.
    const first = await ingestValidSnapshot(
      test.database.sql,
      host,
      makeSnapshot('long-lived', { collectedAt: at(362), sockets: [listener(22), listener(443)], interfaces: [sniffing] }),
      { now, retention: policy },
    );
    expect(first.analysis?.alerts.map((alert) => alert.kind)).toEqual(['interface.promiscuous_on']);
    // 443 closes a day later: its row is kept until that snapshot's week, about three days from now.
    const second = await ingestValidSnapshot(
      test.database.sql,
      host,
      makeSnapshot('long-lived', { collectedAt: at(361), sockets: [listener(22)], interfaces: [sniffing] }),
      { now, retention: policy },
    );
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('long-lived', { collectedAt: at(0), sockets: [listener(22)], interfaces: [sniffing] }), {
      now,
      retention: policy,
    });
    const closedWeek = await weekOf(second.id);
    const before = await readSnapshot(prisma, BigInt(first.id));
    expect(before?.sockets?.map((row) => row.localPort)).toEqual([22, 443]);

    await purgeSnapshots(prisma, policy, new Date(closedWeek.getTime() + 3_600_000));

    expect(await partitionsOfWeek(closedWeek)).toEqual([]);
    expect(await snapshotIdsOf(host)).toContain(first.id);
    expect(await readSnapshot(prisma, BigInt(first.id))).toEqual(before);
  });

  it('leaves every host whole when snapshots arrive while the week they go to is dropped', async () => {
    const prisma = test.database.prisma;
    const hosts = await Promise.all(['busy-1', 'busy-2', 'busy-3', 'busy-4'].map(newHost));
    const now = new Date();
    const contentOf = (round: number) => ({ sockets: round % 5 === 4 ? [listener(22), listener(9000 + round)] : [listener(22)] });
    for (const host of hosts) await ingestValidSnapshot(test.database.sql, host, makeSnapshot(host.name, contentOf(0)));
    let stopped = false;
    let stored = 0;
    const ingestUntilStopped = async (host: AuthenticatedHost) => {
      for (let round = 1; !stopped; round += 1) {
        // Dropping and creating partitions under load may deadlock with an ingest: PostgreSQL aborts
        // one side, and the collector posts again (the snapshot stays spooled), as here.
        await ingestValidSnapshot(test.database.sql, host, makeSnapshot(host.name, contentOf(round))).then(
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
    // Each host's current rows are all there: as many open rows as its digest counts.
    const incomplete = await test.database.sql.query(
      `SELECT hs."hostId", hs."section" FROM "HostSection" hs
        WHERE hs."rowCount" <> CASE hs."section"
          WHEN 'sockets' THEN (SELECT count(*) FROM "Socket" r WHERE r."hostId" = hs."hostId" AND r."retainUntil" = 'infinity')
          WHEN 'processes' THEN (SELECT count(*) FROM "Process" r WHERE r."hostId" = hs."hostId" AND r."retainUntil" = 'infinity')
          WHEN 'interfaces' THEN (SELECT count(*) FROM "Interface" r WHERE r."hostId" = hs."hostId" AND r."retainUntil" = 'infinity')
          ELSE hs."rowCount" END`,
    );
    expect(incomplete).toEqual([]);
  });
});
