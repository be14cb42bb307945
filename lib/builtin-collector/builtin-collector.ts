// The built-in collector of `npm start`: reports this machine every few seconds through the same
// ingest as remote collectors — the same limits, worker, metrics and delta upload — so a newcomer
// sees real data at once. Installed packages go with it hourly, or when the package database changes;
// traceroute runs to SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS go with the next snapshot after they finish.
import { DeltaEncoder } from '@/collector/delta';
import { gatherLinuxSnapshot } from '@/collector/gather/linux/index';
import { inHostTerms } from '@/collector/host-terms';
import { TracerouteRunner } from '@/collector/traceroute-runner';
import { DEFAULT_PACKAGES_INTERVAL_SECONDS, PackageSchedule } from '@/collector/gather/packages/package-schedule';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { enrollHost, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/errors';
import type { SnapshotReceiver } from '@/lib/ingest/snapshot-receiver';
import { SNAPSHOT_VERSION, snapshotSchema, type Snapshot } from '@/lib/schemas/snapshot';
import { logger } from '@/lib/logger';

export interface BuiltinCollector {
  stop: () => Promise<void>;
}

export interface BuiltinCollectorOptions {
  intervalSeconds: number;
  packagesIntervalSeconds?: number;
  tracerouteTargets?: readonly string[];
  tracerouteIntervalSeconds?: number;
}

export function startBuiltinCollector(prisma: PrismaClient, receiver: SnapshotReceiver, options: BuiltinCollectorOptions): BuiltinCollector {
  const { intervalSeconds, packagesIntervalSeconds = DEFAULT_PACKAGES_INTERVAL_SECONDS } = options;
  let stopped = false;
  const report = (message: string) => logger().warn(`built-in collector: ${message}`);
  const log = { info() {}, warn: report, error: report };
  const packageSchedule = new PackageSchedule({ intervalMs: packagesIntervalSeconds * 1000, log });
  const traceroutes = new TracerouteRunner({ targets: options.tracerouteTargets ?? [], intervalMs: (options.tracerouteIntervalSeconds ?? 300) * 1000, log });
  traceroutes.start();
  let running: Promise<void> = Promise.resolve();
  let host: AuthenticatedHost | null = null;
  const delta = new DeltaEncoder();

  const send = async (knownHost: AuthenticatedHost, snapshot: Snapshot) => {
    const releaseHost = receiver.limits.admitHost(knownHost);
    try {
      const result = await receiver.ingest(knownHost, JSON.stringify(delta.encode(snapshot)));
      delta.acknowledge(snapshot, result.id);
    } finally {
      releaseHost();
    }
  };

  const collectOnce = async () => {
    const [gathered, packages] = await Promise.all([gatherLinuxSnapshot().then(inHostTerms), packageSchedule.takeIfDue()]);
    host ??= await builtinCollectorHost(prisma, gathered.host.name);
    const collectedAt = new Date();
    const snapshot = snapshotSchema.parse({
      version: SNAPSHOT_VERSION,
      ...gathered,
      ...(packages && { packages }),
      traceroutes: traceroutes.takeResults(),
      collectedAt: collectedAt.toISOString(),
      idempotencyKey: `${gathered.host.name}-${collectedAt.getTime()}-local`,
      collectorVersion: 'builtin',
    });
    try {
      await send(host, snapshot);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      // The server's state of this host is not what the delta was made against: send it whole.
      delta.forget();
      await send(host, snapshot);
    }
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
      await Promise.all([running, traceroutes.stop()]);
    },
  };
}

async function builtinCollectorHost(prisma: PrismaClient, name: string): Promise<AuthenticatedHost> {
  const existing = await prisma.host.findUnique({ where: { name }, select: { id: true, name: true, labels: true } });
  if (existing) return existing;
  const enrolled = await enrollHost(prisma, name, ['local']);
  return { id: enrolled.hostId, name: enrolled.name, labels: ['local'] };
}
