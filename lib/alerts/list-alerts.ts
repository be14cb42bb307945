// Alerts as analysts see them: the list with its filters (the alerts page, the API, the banner).
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { queryText, smallDatabaseId } from '@/lib/http/query-fields';
import { toAlertEvent } from '@/lib/alerts/record-alerts';
import type { AlertEvent } from '@/lib/realtime/events';

export const alertListQuerySchema = z.object({
  state: z.enum(['open', 'acknowledged', 'closed', 'live']).optional(),
  minLevel: z.coerce.number().int().min(0).max(15).optional(),
  kind: queryText(64).optional(),
  host: queryText(253).optional(),
  before: smallDatabaseId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface AlertView extends AlertEvent {
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
}

export const alertInclude = { host: { select: { name: true } }, acknowledgedBy: { select: { name: true } } } as const;
type AlertWithHost = Prisma.AlertGetPayload<{ include: typeof alertInclude }>;

export function toAlertView(alert: AlertWithHost): AlertView {
  return {
    ...toAlertEvent(alert, alert.host.name),
    acknowledgedBy: alert.acknowledgedBy?.name ?? null,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    note: alert.note,
  };
}

export async function listAlerts(prisma: PrismaClient, query: z.infer<typeof alertListQuerySchema>): Promise<AlertView[]> {
  const where: Prisma.AlertWhereInput = {
    ...(query.state === 'live' ? { state: { in: ['open', 'acknowledged'] } } : query.state ? { state: query.state } : {}),
    ...(query.minLevel !== undefined ? { level: { gte: query.minLevel } } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.host ? { host: { name: query.host } } : {}),
    ...(query.before ? { id: { lt: query.before } } : {}),
  };
  const rows = await prisma.alert.findMany({ where, include: alertInclude, orderBy: { id: 'desc' }, take: query.limit });
  return rows.map(toAlertView);
}
