// The built-in collector of `npm start`: reports this machine every few seconds through the same
// ingest path as remote collectors, so a newcomer sees real data at once.
import os from 'node:os';
import { gatherLinuxSnapshot } from '@/collector/gather/linux/index';
import { DEFAULT_PACKAGES_INTERVAL_SECONDS, PackageSchedule } from '@/collector/gather/packages/package-schedule';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { enrollHost, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { publishIngest } from '@/lib/ingest/publish-ingest';
import { SNAPSHOT_VERSION, snapshotSchema } from '@/lib/schemas/snapshot';

export interface LocalCollector {
  stop(): Promise<void>;
}

export function startLocalCollector(
  prisma: PrismaClient,
  intervalSeconds: number,
  packagesIntervalSeconds = DEFAULT_PACKAGES_INTERVAL_SECONDS,
): LocalCollector {
  let stopped = false;
  const report = (message: string) => console.error('[sockscope] local collector:', message);
  const packageSchedule = new PackageSchedule({ intervalMs: packagesIntervalSeconds * 1000, log: { info() {}, warn: report, error: report } });
  let running: Promise<void> = Promise.resolve();
  let host: AuthenticatedHost | null = null;

  const collectOnce = async () => {
    const [gathered, packages] = await Promise.all([gatherLinuxSnapshot(), packageSchedule.takeIfDue()]);
    host ??= await localHost(prisma, gathered.host.name);
    const collectedAt = new Date();
    const snapshot = snapshotSchema.parse({
      version: SNAPSHOT_VERSION,
      ...gathered,
      ...(packages && { packages }),
      collectedAt: collectedAt.toISOString(),
      idempotencyKey: `${gathered.host.name}-${collectedAt.getTime()}-local`,
      collectorVersion: 'builtin',
    });
    publishIngest(await ingestSnapshot(prisma, host, snapshot), snapshot);
  };

  const tick = () => {
    if (stopped) return;
    running = collectOnce()
      .catch((error: unknown) => {
        packageSchedule.markUndelivered();
        report((error as Error).message);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalSeconds * 1000);
      });
  };
  let timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function localHost(prisma: PrismaClient, name: string): Promise<AuthenticatedHost> {
  const existing = await prisma.host.findUnique({ where: { name }, select: { id: true, name: true, labels: true } });
  if (existing) return existing;
  const enrolled = await enrollHost(prisma, name, ['local']);
  return { id: enrolled.hostId, name: enrolled.name, labels: ['local'] };
}

export const localHostName = () => os.hostname();
