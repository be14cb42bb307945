// Retention: unchanged snapshots are kept `unchangedDays`, snapshots that changed something (and
// their alerts, once closed) `changedDays`. Never deleted: a host's latest snapshot, the snapshot an
// open or acknowledged alert points at, and the previous snapshot of every kept changed one (so
// its diff can still be shown). Section sets no snapshot uses any more go with their rows.
import type { PrismaClient } from '@/lib/generated/prisma/client';

export interface RetentionPolicy {
  unchangedDays: number;
  changedDays: number;
}

export interface PurgeResult {
  snapshots: number;
  sectionSets: number;
  alerts: number;
}

const DAY_MS = 86_400_000;

export async function purgeSnapshots(prisma: PrismaClient, policy: RetentionPolicy, now = new Date()): Promise<PurgeResult> {
  const unchangedBefore = new Date(now.getTime() - policy.unchangedDays * DAY_MS);
  const changedBefore = new Date(now.getTime() - policy.changedDays * DAY_MS);
  return prisma.$transaction(
    async (tx) => {
      const snapshots = await tx.$executeRaw`
        WITH protected AS (
          SELECT "lastSnapshotId" AS id FROM "Host" WHERE "lastSnapshotId" IS NOT NULL
          UNION SELECT "snapshotId" FROM "Alert" WHERE "snapshotId" IS NOT NULL AND "state" <> 'closed'
          UNION SELECT (SELECT p.id FROM "Snapshot" p WHERE p."hostId" = s."hostId" AND p.id < s.id ORDER BY p.id DESC LIMIT 1)
            FROM "Snapshot" s WHERE cardinality(s."changedSections") > 0 AND s."collectedAt" >= ${changedBefore}
        )
        DELETE FROM "Snapshot" s
         WHERE s.id NOT IN (SELECT id FROM protected WHERE id IS NOT NULL)
           AND ((cardinality(s."changedSections") = 0 AND s."collectedAt" < ${unchangedBefore})
                OR s."collectedAt" < ${changedBefore})`;
      const sectionSets = await tx.$executeRaw`
        DELETE FROM "SectionSet" unused WHERE NOT EXISTS (
          SELECT 1 FROM "Snapshot" s WHERE s."socketsSetId" = unused.id OR s."processesSetId" = unused.id
                                        OR s."interfacesSetId" = unused.id OR s."traceroutesSetId" = unused.id)`;
      const alerts = await tx.alert.deleteMany({ where: { state: 'closed', lastSeenAt: { lt: changedBefore } } });
      return { snapshots, sectionSets, alerts: alerts.count };
    },
    { timeout: 10 * 60_000 },
  );
}
