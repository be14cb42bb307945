// Retention keeps what analysts still need; a silent host raises exactly one alert per silence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSilentHosts } from '@/lib/alerts/check-silent-hosts';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { purgeSnapshots } from '@/lib/retention/purge-snapshots';
import { readSnapshot } from '@/lib/snapshots/read-snapshot';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => {
  await test.dispose();
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function newHost(name: string): Promise<AuthenticatedHost> {
  const { token } = await enrollHost(test.database.prisma, name);
  return (await findHostByToken(test.database.prisma, token))!;
}

describe('retention', () => {
  it('drops old unchanged snapshots but keeps the latest, alert-referenced and diff-needed ones', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('retained');
    const ids: string[] = [];
    const post = async (days: number, ports: number[]) =>
      ids.push(
        (
          await ingestValidSnapshot(
            test.database.sql,
            host,
            makeSnapshot('retained', { collectedAt: daysAgo(days), sockets: ports.map((port) => listener(port)) }),
          )
        ).id,
      );
    await post(100, [22]); // 0: old, first
    await post(90, [22]); // 1: old, unchanged → purged
    await post(80, [22]); // 2: old, unchanged, previous of 3 → kept for 3's diff
    await post(70, [22, 8080]); // 3: changed, alert listener.opened points here
    await post(60, [22, 8080]); // 4: old unchanged → purged
    await post(1, [22, 8080]); // 5: recent unchanged → kept
    await post(0, [22, 8080]); // 6: latest → kept

    const result = await purgeSnapshots(prisma, { unchangedDays: 30, changedDays: 365 });
    const left = (await prisma.snapshot.findMany({ where: { hostId: host.id }, orderBy: { id: 'asc' } })).map((row) => row.id.toString());
    expect(left).toEqual([ids[0], ids[2], ids[3], ids[5], ids[6]]);
    expect(result.snapshots).toBe(2);

    // Every kept snapshot still reads back whole.
    const expectedPorts = [[22], [22], [22, 8080], [22, 8080], [22, 8080]];
    for (const [index, id] of left.entries()) {
      const stored = await readSnapshot(prisma, BigInt(id));
      expect(
        stored?.sockets?.map((row) => row.localPort).sort((a, b) => (a ?? 0) - (b ?? 0)),
        `snapshot ${id}`,
      ).toEqual(expectedPorts[index]);
    }
  });

  it('drops rows that closed in an expired week, keeps those present in any kept snapshot', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('churn');
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('churn', { collectedAt: daysAgo(400), sockets: [listener(1)] }));
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('churn', { collectedAt: daysAgo(399), sockets: [listener(2)] }));
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('churn', { collectedAt: daysAgo(0), sockets: [listener(3)] }));
    await prisma.alert.updateMany({ where: { hostId: host.id }, data: { state: 'closed', liveKey: null } });
    const result = await purgeSnapshots(prisma, { unchangedDays: 30, changedDays: 365 });
    expect(result.rows).toBeGreaterThan(0);
    // Port 1 closed 399 days ago, so its week is gone. Port 2 closed now, so it is kept a year, as is the
    // snapshot it was present in (the latest one's previous); port 3 is still present.
    const ports = await prisma.socket.findMany({ where: { hostId: host.id }, select: { localPort: true } });
    expect(ports.map((row) => row.localPort).sort()).toEqual([2, 3]);
  });
});

describe('silent hosts', () => {
  it('raises one host.silent alert per silence, cleared by the next snapshot', async () => {
    const prisma = test.database.prisma;
    const host = await newHost('quiet');
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('quiet', { collectedAt: daysAgo(0) }));
    await prisma.host.update({ where: { id: host.id }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000), intervalSeconds: 60 } });

    expect(await checkSilentHosts(prisma, 3)).toContain('quiet');
    expect(await checkSilentHosts(prisma, 3)).not.toContain('quiet');
    const alerts = await prisma.alert.findMany({ where: { hostId: host.id, kind: 'host.silent' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.level).toBe(9);

    // It reports again, then falls silent again: the same live alert is updated, not a second one.
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('quiet'));
    await prisma.host.update({ where: { id: host.id }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await checkSilentHosts(prisma, 3)).toContain('quiet');
    const again = await prisma.alert.findMany({ where: { hostId: host.id, kind: 'host.silent' } });
    expect(again).toHaveLength(1);
    expect(again[0]?.occurrences).toBe(2);
  });
});
