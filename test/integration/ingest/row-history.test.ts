// Row history (docs/storage.md): a snapshot writes only the rows that changed; every snapshot still
// reads back whole; a delta is applied only to the state it was made against, and a replay is
// answered with the first id, whatever came since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaEncoder } from '@/collector/delta';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/errors';
import { ingestBody, ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import { hashRows, moveDigest, rowHash } from '@/lib/schemas/row-hash';
import type { ProcessRow, Snapshot, SocketRow } from '@/lib/schemas/snapshot';
import { diffStoredSnapshots } from '@/lib/snapshots/diff-stored-snapshots';
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

async function newHost(name: string): Promise<AuthenticatedHost> {
  const { token } = await enrollHost(test.database.prisma, name);
  return (await findHostByToken(test.database.prisma, token))!;
}

const process = (pid: number, command = `worker-${pid}`): ProcessRow => ({
  pid,
  ppid: 1,
  user: 'app',
  uid: 1000,
  command,
  args: `/usr/bin/${command} --serve`,
  startedAt: null,
});
const connection = (port: number): SocketRow => ({ ...listener(443, 'nginx'), remoteAddress: '198.51.100.7', remotePort: port, state: 'ESTABLISHED' });

/** A busy host's state at round `round`: 200 sockets and 400 processes, of which `churn` of each turn over per round. */
function busyHost(name: string, round: number, churn: number): Snapshot {
  const sockets = [
    ...Array.from({ length: 20 }, (_, index) => listener(8000 + index, 'java')),
    ...Array.from({ length: 180 }, (_, index) => connection(index < churn ? 40_000 + round * churn + index : 10_000 + index)),
  ];
  const processes = Array.from({ length: 400 }, (_, index) => (index < churn ? process(100_000 + round * churn + index, 'sleep') : process(1000 + index)));
  return makeSnapshot(name, { sockets, processes, collectedAt: new Date(Date.UTC(2026, 11, 1) + round * 60_000).toISOString() });
}

async function rowCount(table: 'Socket' | 'Process', hostId: number): Promise<number> {
  const [row] = await test.database.sql.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "${table}" WHERE "hostId" = $1`, [hostId]);
  return row?.count ?? 0;
}

const portsOf = (sockets: readonly SocketRow[] | undefined) => (sockets ?? []).map((row) => `${row.localPort}:${row.remotePort}`).sort();

describe('row history', () => {
  it('writes only the rows that changed: 30 snapshots with 3 changes each add 90 rows per section, not 30 whole sections', async () => {
    const host = await newHost('busy');
    await ingestValidSnapshot(test.database.sql, host, busyHost('busy', 0, 3));
    expect(await rowCount('Socket', host.id)).toBe(200);
    expect(await rowCount('Process', host.id)).toBe(400);
    for (let round = 1; round <= 30; round += 1) await ingestValidSnapshot(test.database.sql, host, busyHost('busy', round, 3));
    expect(await rowCount('Socket', host.id)).toBe(200 + 30 * 3);
    expect(await rowCount('Process', host.id)).toBe(400 + 30 * 3);
    // Listeners never moved while connections churned: each is one row, open since the first snapshot.
    const listeners = await test.database.sql.query<{ openedSeq: number; closedSeq: number | null }>(
      `SELECT "openedSeq", "closedSeq" FROM "Socket" WHERE "hostId" = $1 AND "listening"`,
      [host.id],
    );
    expect(listeners).toHaveLength(20);
    expect(listeners.every((row) => row.openedSeq === 1 && row.closedSeq === null)).toBe(true);
  });

  it('reads every snapshot back whole, and diffs any two from the ranges', async () => {
    const host = await newHost('history');
    const sent: Snapshot[] = [];
    const ids: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      const snapshot = busyHost('history', round, 5);
      sent.push(snapshot);
      ids.push((await ingestValidSnapshot(test.database.sql, host, snapshot)).id);
    }
    for (const [index, id] of ids.entries()) {
      const stored = await readSnapshot(test.database.prisma, BigInt(id));
      expect(portsOf(stored?.sockets), `snapshot ${index}`).toEqual(portsOf(sent[index]?.sockets));
      expect(stored?.processes?.map((row) => row.pid).sort(), `snapshot ${index}`).toEqual(sent[index]?.processes?.map((row) => row.pid).sort());
    }
    // Rounds 1 and 4, three snapshots apart: rows that came and went in between are not in the diff.
    const diff = await diffStoredSnapshots(test.database.prisma, 'history', BigInt(ids[1]!), BigInt(ids[4]!));
    expect(diff.processes.added.map((row) => row.pid).sort()).toEqual([100_020, 100_021, 100_022, 100_023, 100_024]);
    expect(diff.processes.removed.map((row) => row.pid).sort()).toEqual([100_005, 100_006, 100_007, 100_008, 100_009]);
    expect(diff.sockets.added).toHaveLength(5);
    const backwards = await diffStoredSnapshots(test.database.prisma, 'history', BigInt(ids[4]!), BigInt(ids[1]!));
    expect(backwards.summary.processes).toEqual({ added: 5, removed: 5, changed: 0 });
  });

  it('reads back whole and diffs any two when their rows sit in different weeks (changed snapshots kept 365 days, unchanged 30)', async () => {
    const host = await newHost('weeks');
    const DAY = 86_400_000;
    const start = Date.now() - 20 * DAY;
    // A day apart for 20 days; the content changes only on some days, so snapshots and the rows that
    // close are kept for different lengths and land in different week partitions.
    const changesOn = new Set([0, 1, 4, 5, 6, 11, 15, 19]);
    const sent: Snapshot[] = [];
    const ids: string[] = [];
    let version = 0;
    for (let day = 0; day < 20; day += 1) {
      if (changesOn.has(day)) version += 1;
      const snapshot = { ...busyHost('weeks', version, 4), collectedAt: new Date(start + day * DAY).toISOString() };
      sent.push(snapshot);
      ids.push((await ingestValidSnapshot(test.database.sql, host, snapshot)).id);
    }
    const weeks = await test.database.sql.query<{ snapshotWeeks: number; closedRowWeeks: number }>(
      `SELECT (SELECT count(DISTINCT "retainUntil")::int FROM "Snapshot" WHERE "hostId" = $1) AS "snapshotWeeks",
              (SELECT count(DISTINCT "retainUntil")::int FROM "Process" WHERE "hostId" = $1 AND "closedSeq" IS NOT NULL) AS "closedRowWeeks"`,
      [host.id],
    );
    expect(weeks[0]?.snapshotWeeks).toBeGreaterThanOrEqual(4);
    expect(weeks[0]?.closedRowWeeks).toBeGreaterThanOrEqual(2);
    const pidsOf = (rows: readonly ProcessRow[] | undefined) => (rows ?? []).map((row) => row.pid).sort((a, b) => a - b);
    for (const [index, id] of ids.entries()) {
      const stored = await readSnapshot(test.database.prisma, BigInt(id));
      expect(pidsOf(stored?.processes), `snapshot ${index}`).toEqual(pidsOf(sent[index]?.processes));
      expect(portsOf(stored?.sockets), `snapshot ${index}`).toEqual(portsOf(sent[index]?.sockets));
    }
    for (let earlier = 0; earlier < ids.length; earlier += 3) {
      for (let later = earlier + 1; later < ids.length; later += 2) {
        const diff = await diffStoredSnapshots(test.database.prisma, 'weeks', BigInt(ids[earlier]!), BigInt(ids[later]!));
        const before = new Set(pidsOf(sent[earlier]?.processes));
        const after = new Set(pidsOf(sent[later]?.processes));
        const pair = `snapshots ${earlier} → ${later}`;
        expect(pidsOf(diff.processes.added), pair).toEqual([...after].filter((pid) => !before.has(pid)));
        expect(pidsOf(diff.processes.removed), pair).toEqual([...before].filter((pid) => !after.has(pid)));
        expect(diff.sockets.added.length + diff.sockets.changed.length, pair).toBe(
          portsOf(sent[later]?.sockets).filter((port) => !portsOf(sent[earlier]?.sockets).includes(port)).length,
        );
      }
    }
  });

  it('applies a delta to the state it was made for, and refuses one made against another with 409, storing nothing', async () => {
    const host = await newHost('delta');
    const encoder = new DeltaEncoder();
    const first = busyHost('delta', 0, 2);
    const stored = await ingestBody(test.database.sql, host, JSON.stringify(encoder.encode(first)));
    encoder.acknowledge(first, stored.id);

    const second = busyHost('delta', 1, 2);
    const delta = encoder.encode(second);
    const body = JSON.stringify(delta);
    // Four new rows, four hashes of rows gone, and the rest of the envelope: a few kilobytes instead of a whole snapshot.
    expect(body.length).toBeLessThan(JSON.stringify(second).length / 10);

    const conflictOf = async (upload: unknown) => {
      const error = await ingestBody(test.database.sql, host, JSON.stringify(upload)).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      return (error as AppError).fields.map((field) => field.path);
    };
    expect(await conflictOf({ ...delta, base: '999999' })).toEqual(['base']);
    const sockets = delta.sockets as { added: SocketRow[]; removed: string[]; digest: string };
    expect(await conflictOf({ ...delta, sockets: { ...sockets, digest: sockets.removed[0] } })).toEqual(['sockets.digest']);
    // A row to remove that this host does not have: the digest adds up, the rows do not.
    const stranger = rowHash('sockets', connection(1));
    const unknownRemoval = { ...sockets, removed: [...sockets.removed.slice(1), stranger] };
    const knownDigest = hashRows('sockets', first.sockets!).digest;
    const consistentDigest = moveDigest(
      knownDigest,
      unknownRemoval.added.map((row) => rowHash('sockets', row)),
      unknownRemoval.removed,
    );
    const withStranger = { ...delta, sockets: { ...unknownRemoval, digest: consistentDigest } };
    expect(await conflictOf(withStranger)).toEqual(['sockets']);
    const counts = await test.database.sql.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Snapshot" WHERE "hostId" = $1`, [host.id]);
    expect(counts[0]?.count).toBe(1);

    const applied = await ingestBody(test.database.sql, host, body);
    expect(applied.changed).toMatchObject({ sockets: true, processes: true });
    const read = await readSnapshot(test.database.prisma, BigInt(applied.id));
    expect(portsOf(read?.sockets)).toEqual(portsOf(second.sockets));
    // The same delta again, after the host moved on: a replay, answered with the first id.
    encoder.acknowledge(second, applied.id);
    await ingestBody(test.database.sql, host, JSON.stringify(encoder.encode(busyHost('delta', 2, 2))));
    const replay = await ingestBody(test.database.sql, host, body);
    expect(replay).toMatchObject({ id: applied.id, replayed: true });
  });

  it('costs no row for a package list read again unchanged, and carries packages through snapshots without them', async () => {
    const host = await newHost('packaged');
    const packages = Array.from({ length: 800 }, (_, index) => ({
      name: `lib${index}`,
      version: '1.0-1',
      arch: 'amd64',
      source: 'dpkg' as const,
      installedAt: null,
    }));
    await ingestValidSnapshot(test.database.sql, host, makeSnapshot('packaged', { packages }));
    const rowsAfterFirst = await test.database.sql.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Package" WHERE "hostId" = $1`, [host.id]);
    // An hour of snapshots without packages, then the hourly read, unchanged.
    for (let minute = 1; minute <= 5; minute += 1) await ingestValidSnapshot(test.database.sql, host, makeSnapshot('packaged'));
    const hourly = await ingestValidSnapshot(test.database.sql, host, makeSnapshot('packaged', { packages }));
    expect(hourly.changed.packages).toBe(false);
    const rowsAfterHour = await test.database.sql.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Package" WHERE "hostId" = $1`, [host.id]);
    expect(rowsAfterHour).toEqual(rowsAfterFirst);
    // One upgrade later: one row opened, one closed — and the detail page still lists 800.
    const upgraded = packages.map((row, index) => (index === 7 ? { ...row, version: '1.0-2' } : row));
    const next = await ingestValidSnapshot(test.database.sql, host, makeSnapshot('packaged', { packages: upgraded }));
    expect(next.analysis?.diffSummary?.packages).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(next.analysis?.alerts.map((alert) => alert.message)).toEqual(['packaged: package upgraded: lib7 1.0-1 → 1.0-2']);
    const [count] = await test.database.sql.query<{ count: number }>(`SELECT count(*)::int AS "count" FROM "Package" WHERE "hostId" = $1`, [host.id]);
    expect(count?.count).toBe(801);
  });

  it('never accepts under a known idempotency key what the contract refuses', async () => {
    const host = await newHost('primed');
    const snapshot = makeSnapshot('primed');
    await ingestValidSnapshot(test.database.sql, host, snapshot);
    const hostile = JSON.stringify(snapshot).replace('"pid":4242', '"pid":1e400');
    const error = await ingestBody(test.database.sql, host, hostile).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect((error as AppError).code).toBe('bad_request');
  });
});
