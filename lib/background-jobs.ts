// Periodic work of a server node: silent-host checks and retention. Each run is idempotent and
// claims its rows in a transaction, so several nodes may run them side by side.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { checkSilentHosts } from '@/lib/alerts/check-silent-hosts';
import type { ServerConfig } from '@/lib/config';
import { ensurePartitions } from '@/lib/db/partitions';
import { purgeSnapshots } from '@/lib/retention/purge-snapshots';
import { weeksIngestTargets } from '@/lib/retention/retention-weeks';
import { purgeExpiredSessions } from '@/lib/users/users';
import { logger } from '@/lib/logger';

export interface BackgroundJobs {
  stop: () => void;
}

export function startBackgroundJobs(prisma: PrismaClient, config: ServerConfig): BackgroundJobs {
  const every = (seconds: number, name: string, job: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => logger().error(`${name}: ${(error as Error).message}`))
        .finally(() => (running = false));
    }, seconds * 1000);
    timer.unref();
    return timer;
  };
  const timers = [
    every(5, 'silent-host check', () => checkSilentHosts(prisma, config.SOCKSCOPE_SILENT_AFTER_INTERVALS)),
    every(3600, 'retention', async () => {
      const policy = { unchangedDays: config.SOCKSCOPE_RETENTION_UNCHANGED_DAYS, changedDays: config.SOCKSCOPE_RETENTION_CHANGED_DAYS };
      // The weeks ingest will write to next, before the calendar reaches them.
      await ensurePartitions((statement) => prisma.$executeRawUnsafe(statement), weeksIngestTargets(policy, new Date()));
      const purged = await purgeSnapshots(prisma, policy);
      if (purged.snapshots > 0) logger().info(`retention: removed ${purged.snapshots} snapshots, ${purged.rows} rows, ${purged.alerts} closed alerts`);
    }),
    every(3600, 'session purge', () => purgeExpiredSessions(prisma)),
  ];
  return { stop: () => timers.forEach(clearInterval) };
}
