// "What was newly exposed in the last hour?" — listeners that opened or widened their bind
// address recently, as the ingest's alerts recorded them.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { offsetOf, pagingSchema, type ResultPage } from './paging';

export const exposureSearchSchema = pagingSchema.extend({
  /** How far back, in minutes (default: the last hour, at most a week). */
  sinceMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export type ExposureSearch = z.infer<typeof exposureSearchSchema>;

const EXPOSURE_ALERT_KINDS = ['listener.opened', 'listener.widened'] as const;

export interface ExposedListener {
  alertId: number;
  host: string;
  kind: string;
  level: number;
  state: string;
  message: string;
  proto: string | null;
  localAddress: string | null;
  previousLocalAddress: string | null;
  localPort: number | null;
  process: string | null;
  pid: number | null;
  user: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export async function listNewlyExposed(prisma: PrismaClient, search: ExposureSearch, now = new Date()): Promise<ResultPage<ExposedListener>> {
  const where = {
    kind: { in: [...EXPOSURE_ALERT_KINDS] },
    lastSeenAt: { gte: new Date(now.getTime() - search.sinceMinutes * 60_000) },
  };
  const [alerts, total, hosts] = await Promise.all([
    prisma.alert.findMany({
      where,
      orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
      skip: offsetOf(search),
      take: search.pageSize,
      include: { host: { select: { name: true } } },
    }),
    prisma.alert.count({ where }),
    prisma.alert.groupBy({ by: ['hostId'], where }),
  ]);
  return {
    rows: alerts.map((alert) => {
      const subject = (alert.subject ?? {}) as Record<string, unknown>;
      return {
        alertId: alert.id,
        host: alert.host.name,
        kind: alert.kind,
        level: alert.level,
        state: alert.state,
        message: alert.message,
        proto: stringOrNull(subject.proto),
        localAddress: stringOrNull(subject.localAddress),
        previousLocalAddress: stringOrNull(subject.previousLocalAddress),
        localPort: numberOrNull(subject.localPort),
        process: stringOrNull(subject.process),
        pid: numberOrNull(subject.pid),
        user: stringOrNull(subject.user),
        firstSeenAt: alert.firstSeenAt.toISOString(),
        lastSeenAt: alert.lastSeenAt.toISOString(),
      };
    }),
    total,
    hostCount: hosts.length,
    page: search.page,
    pageSize: search.pageSize,
  };
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
