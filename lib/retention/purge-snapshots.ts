// Retention as partition drops (docs/storage.md). Ingest puts every snapshot in the week partition
// of the Monday its retention ends (lib/retention/retention-weeks.ts), and every row that closes in
// the week its host's longest-kept snapshot ends; rows still present sit in the `_open` partitions
// and never expire. Once a week has begun, this drops its partitions — after moving out what must
// stay: a host's latest snapshot and one an open or acknowledged alert points at (to the first week
// that survives), with the rows present in them and the traceroute runs they carried. Closed alerts
// are few: deleted by row.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { ensurePartitions, listPartitionWeeks, PARTITION_SCHEMA, partitionedTables, partitionName, rowTables } from '@/lib/db/partitions';
import { firstSurvivingWeek, isExpiredWeek, toDateText, type RetentionPolicy } from './retention-weeks';

export interface PurgeResult {
  snapshots: number;
  rows: number;
  alerts: number;
}

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
  const result: PurgeResult = { snapshots: 0, rows: 0, alerts: 0 };
  const weeks = await listPartitionWeeks((text, params) => prisma.$queryRawUnsafe(text, ...params));
  for (const week of weeks.filter((candidate) => isExpiredWeek(candidate, now))) {
    const purged = await purgeWeek(prisma, week, survivingWeek);
    result.snapshots += purged.snapshots;
    result.rows += purged.rows;
  }
  const changedBefore = new Date(now.getTime() - policy.changedDays * DAY_MS);
  const alerts = await prisma.alert.deleteMany({ where: { state: 'closed', lastSeenAt: { lt: changedBefore } } });
  result.alerts = alerts.count;
  return result;
}

async function purgeWeek(prisma: PrismaClient, week: Date, survivingWeek: Date): Promise<Omit<PurgeResult, 'alerts'>> {
  const weekText = toDateText(week);
  const survivingText = toDateText(survivingWeek);
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${PURGE_LOCK_KEY})`);
      // Ingest and reads queue behind these locks: give up (and retry next hour) rather than wait
      // long for them. What is moved is small (the kept snapshots and their rows): held briefly.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      // Dropping a partition takes its parent's strongest lock: taken at once, for every parent, in
      // the order an ingest first touches them (the snapshot first, then rows and runs), so that a
      // purge and an ingest never wait for each other in a circle.
      await tx.$executeRawUnsafe(`LOCK TABLE ${['Snapshot', ...rowTables, 'TracerouteRun'].map((table) => `"${table}"`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      // The protected snapshots of this week move to the first week that survives.
      await tx.$executeRawUnsafe(
        `UPDATE "Snapshot" s SET "retainUntil" = $2::date
           FROM (${protectedSnapshots}) protected
          WHERE s."id" = protected."id" AND s."retainUntil" = $1::date`,
        weekText,
        survivingText,
      );
      // So do the rows of this week present in any protected snapshot, whatever week it is in now,
      // and the traceroute runs they carried. (A host's latest snapshot holds only open rows; the rows
      // that closed in it were present in the one before, which its diff keeps as long as itself.)
      await tx.$executeRawUnsafe(
        `CREATE TEMPORARY TABLE "kept_snapshot" ON COMMIT DROP AS
         SELECT s."hostId", s."seq" FROM "Snapshot" s JOIN (${protectedSnapshots}) protected ON protected."id" = s."id"`,
      );
      for (const table of rowTables) {
        await tx.$executeRawUnsafe(
          `UPDATE "${table}" r SET "retainUntil" = $2::date FROM "kept_snapshot" k
            WHERE r."retainUntil" = $1::date AND r."hostId" = k."hostId" AND r."openedSeq" <= k."seq" AND r."closedSeq" > k."seq"`,
          weekText,
          survivingText,
        );
      }
      await tx.$executeRawUnsafe(
        `UPDATE "TracerouteRun" r SET "retainUntil" = $2::date FROM "kept_snapshot" k
          WHERE r."retainUntil" = $1::date AND r."hostId" = k."hostId" AND r."seq" = k."seq"`,
        weekText,
        survivingText,
      );
      const [counted] = await tx.$queryRaw<{ snapshots: number; rows: number }[]>`
        SELECT (SELECT count(*)::int FROM "Snapshot" WHERE "retainUntil" = ${weekText}::date) AS "snapshots",
               ((SELECT count(*) FROM "Socket" WHERE "retainUntil" = ${weekText}::date) + (SELECT count(*) FROM "Process" WHERE "retainUntil" = ${weekText}::date)
                + (SELECT count(*) FROM "Interface" WHERE "retainUntil" = ${weekText}::date) + (SELECT count(*) FROM "Package" WHERE "retainUntil" = ${weekText}::date))::int AS "rows"`;
      await dropWeekPartitions(tx, week);
      return { snapshots: counted?.snapshots ?? 0, rows: counted?.rows ?? 0 };
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}

/** A host's latest snapshot, and those open or acknowledged alerts point at. */
const protectedSnapshots = `
  SELECT "lastSnapshotId" AS "id" FROM "Host" WHERE "lastSnapshotId" IS NOT NULL
  UNION SELECT "snapshotId" FROM "Alert" WHERE "snapshotId" IS NOT NULL AND "state" <> 'closed'`;

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Drops the week's partitions that exist. */
async function dropWeekPartitions(tx: Tx, week: Date): Promise<void> {
  const names = partitionedTables.map((table) => partitionName(table, week));
  const existing = await tx.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ${PARTITION_SCHEMA} AND c.relname = ANY(${names}::text[])`;
  const present = new Set(existing.map((row) => row.name));
  for (const table of partitionedTables) {
    const name = partitionName(table, week);
    if (present.has(name)) await tx.$executeRawUnsafe(`DROP TABLE "${PARTITION_SCHEMA}"."${name}"`);
  }
}
