// Retention as partition drops. Ingest puts every snapshot, section set and section row in the week
// partition of the Monday its retention ends (lib/retention/retention-weeks.ts): unchanged snapshots
// `unchangedDays` after collection, changed ones `changedDays`, the previous snapshot of a changed
// one as long as that one. Once a week has begun, this drops its partitions — after moving out what
// must stay: a host's latest snapshot and one an open or acknowledged alert points at (to the first
// week that survives), and every section set a surviving snapshot still uses (to the week of the
// longest-kept one; its rows follow through ON UPDATE CASCADE). Closed alerts are few: deleted by row.
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client';
import { ensurePartitions, listPartitionWeeks, PARTITION_SCHEMA, partitionedTables, partitionName } from '@/lib/db/partitions';
import { firstSurvivingWeek, isExpiredWeek, toDateText, type RetentionPolicy } from './retention-weeks';

export interface PurgeResult {
  snapshots: number;
  sectionSets: number;
  alerts: number;
}

type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;
// Arbitrary constant shared by every Sockscope process: one purge at a time across servers.
const PURGE_LOCK_KEY = '6004799503160660050';
const LOCK_TIMEOUT = '10s';

/**
 * Drops every week that has begun, one transaction per week (a failure leaves that week whole).
 * The policy was applied at ingest (each row's week); here it only decides closed alerts.
 */
export async function purgeSnapshots(prisma: PrismaClient, policy: RetentionPolicy, now = new Date()): Promise<PurgeResult> {
  const survivingWeek = firstSurvivingWeek(now);
  await ensurePartitions((statement) => prisma.$executeRawUnsafe(statement), [survivingWeek]);
  const result: PurgeResult = { snapshots: 0, sectionSets: 0, alerts: 0 };
  for (const week of await listExpiredWeeks(prisma, now)) {
    const purged = await purgeWeek(prisma, week, survivingWeek);
    result.snapshots += purged.snapshots;
    result.sectionSets += purged.sectionSets;
  }
  const changedBefore = new Date(now.getTime() - policy.changedDays * DAY_MS);
  const alerts = await prisma.alert.deleteMany({ where: { state: 'closed', lastSeenAt: { lt: changedBefore } } });
  result.alerts = alerts.count;
  return result;
}

/** Weeks that have begun and still hold partitions or section sets, oldest first. */
async function listExpiredWeeks(prisma: PrismaClient, now: Date): Promise<Date[]> {
  const partitionWeeks = await listPartitionWeeks((text, params) => prisma.$queryRawUnsafe(text, ...params));
  const setWeeks = await prisma.$queryRaw<{ week: string }[]>`
    SELECT DISTINCT "retainUntil"::text AS "week" FROM "SectionSet" WHERE "retainUntil" <= ${toDateText(now)}::date`;
  const weeks = new Map<number, Date>();
  for (const week of [...partitionWeeks, ...setWeeks.map((row) => new Date(`${row.week}T00:00:00.000Z`))]) {
    if (isExpiredWeek(week, now)) weeks.set(week.getTime(), week);
  }
  return [...weeks.values()].sort((a, b) => a.getTime() - b.getTime());
}

async function purgeWeek(prisma: PrismaClient, week: Date, survivingWeek: Date): Promise<Omit<PurgeResult, 'alerts'>> {
  const weekText = toDateText(week);
  const survivingText = toDateText(survivingWeek);
  const barrier = await waitForIngestInFlight(prisma, weekText);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PURGE_LOCK_KEY})`);
      // Ingest queues behind the table locks below: give up (and retry next hour) rather than hold it long.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      // Pass 1, while ingest goes on: the bulk of the moving out. It locks no snapshot row, so no
      // ingest (which may move a host's latest snapshot) ever waits for it.
      await keepUsedSectionSets(tx, weekText, null);
      // Pass 2, with writers held off until commit: the protected snapshots, and the sets of what
      // ingest stored since the barrier or moved out of the week since (a changed snapshot's previous).
      await tx.$executeRawUnsafe(`LOCK TABLE "SectionSet", "Socket", "Process", "Interface", "TracerouteRun", "TracerouteHop", "Snapshot" IN SHARE ROW EXCLUSIVE MODE`);
      const kept = await keepProtectedSnapshots(tx, weekText, survivingText);
      await keepUsedSectionSets(tx, weekText, { newerThan: barrier.lastSeenId, ids: [...kept, ...barrier.protectedInWeek] });

      const [counted] = await tx.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS "count" FROM "Snapshot" WHERE "retainUntil" = ${weekText}::date`;
      await dropWeekPartitions(tx, week);
      // The week's rows are gone with their partitions, so the cascade to them finds nothing.
      const sectionSets = await tx.$executeRaw`DELETE FROM "SectionSet" WHERE "retainUntil" = ${weekText}::date`;
      return { snapshots: counted?.count ?? 0, sectionSets };
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}

/** A host's latest snapshot, and those open or acknowledged alerts point at. */
const protectedSnapshotIds = Prisma.sql`
  SELECT "lastSnapshotId" AS "id" FROM "Host" WHERE "lastSnapshotId" IS NOT NULL
  UNION SELECT "snapshotId" FROM "Alert" WHERE "snapshotId" IS NOT NULL AND "state" <> 'closed'`;

/**
 * A barrier, once every ingest writing now has committed: the highest snapshot id, and the week's
 * protected snapshots. Snapshots stored later all have higher ids (their ids come from the sequence
 * after this); the only snapshots ingest moves are a host's latest, when a change arrives.
 */
async function waitForIngestInFlight(prisma: PrismaClient, week: string): Promise<{ lastSeenId: bigint; protectedInWeek: bigint[] }> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await tx.$executeRawUnsafe(`LOCK TABLE "Snapshot" IN SHARE MODE`);
    const [last] = await tx.$queryRaw<{ id: string }[]>`SELECT coalesce(max("id"), 0)::text AS "id" FROM "Snapshot"`;
    const protectedInWeek = await tx.$queryRaw<{ id: string }[]>`
      SELECT s."id"::text AS "id" FROM "Snapshot" s JOIN (${protectedSnapshotIds}) kept ON kept."id" = s."id"
       WHERE s."retainUntil" = ${week}::date`;
    return { lastSeenId: BigInt(last?.id ?? '0'), protectedInWeek: protectedInWeek.map((row) => BigInt(row.id)) };
  });
}

/** Moves the protected snapshots out of the week, to the first week that survives. */
async function keepProtectedSnapshots(tx: Tx, week: string, survivingWeek: string): Promise<bigint[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Snapshot" s SET "retainUntil" = ${survivingWeek}::date
      FROM (${protectedSnapshotIds}) kept
     WHERE s."id" = kept."id" AND s."retainUntil" = ${week}::date
    RETURNING s."id"::text AS "id"`;
  return rows.map((row) => BigInt(row.id));
}

/**
 * Moves the week's section sets that a snapshot of a later week uses to the week of the longest-kept
 * such snapshot; their rows follow. `among` narrows the snapshots looked at (pass 2); null: all of them.
 */
async function keepUsedSectionSets(tx: Tx, week: string, among: { newerThan: bigint; ids: bigint[] } | null): Promise<void> {
  const snapshotFilter = among
    ? `AND (s."id" > $2::bigint OR s."id" = ANY($3::bigint[]))`
    : '';
  const params: unknown[] = among ? [week, among.newerThan.toString(), among.ids.map(String)] : [week];
  await tx.$executeRawUnsafe(
    `UPDATE "SectionSet" st SET "retainUntil" = used."retainUntil"
       FROM (
         SELECT u."setId", max(s."retainUntil") AS "retainUntil"
           FROM "Snapshot" s
           CROSS JOIN LATERAL (VALUES (s."socketsSetId"), (s."processesSetId"), (s."interfacesSetId"), (s."traceroutesSetId")) u("setId")
          WHERE s."retainUntil" > $1::date ${snapshotFilter}
            AND u."setId" IN (SELECT "id" FROM "SectionSet" WHERE "retainUntil" = $1::date)
          GROUP BY u."setId"
       ) used
      WHERE st."id" = used."setId" AND st."retainUntil" = $1::date`,
    ...params,
  );
}

/** Drops the week's partitions that exist, hops before the runs they reference. */
async function dropWeekPartitions(tx: Tx, week: Date): Promise<void> {
  const names = partitionedTables.map((table) => partitionName(table, week));
  const existing = await tx.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ${PARTITION_SCHEMA} AND c.relname = ANY(${names}::text[])`;
  const present = new Set(existing.map((row) => row.name));
  for (const table of partitionedTables) {
    const name = partitionName(table, week);
    if (!present.has(name)) continue;
    // A partition of a referenced table cannot be dropped while attached.
    if (table === 'TracerouteRun') await tx.$executeRawUnsafe(`ALTER TABLE "TracerouteRun" DETACH PARTITION "${PARTITION_SCHEMA}"."${name}"`);
    await tx.$executeRawUnsafe(`DROP TABLE "${PARTITION_SCHEMA}"."${name}"`);
  }
}
