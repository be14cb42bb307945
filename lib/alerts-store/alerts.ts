// Alerts as analysts work them: list with filters, acknowledge, annotate, reopen. Every change is
// written to the audit log (who, when, what) in the same transaction.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/http/errors';
import { queryText, smallDatabaseId } from '@/lib/http/query-fields';
import { toAlertEvent, liveKeyOf } from '@/lib/analysis/record-alerts';
import type { AlertAckEvent, AlertEvent } from '@/lib/realtime/events';

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

const alertInclude = { host: { select: { name: true } }, acknowledgedBy: { select: { name: true } } } as const;
type AlertWithHost = Prisma.AlertGetPayload<{ include: typeof alertInclude }>;

function toView(alert: AlertWithHost): AlertView {
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
  return rows.map(toView);
}

export const triageSchema = z.strictObject({
  action: z.enum(['acknowledge', 'reopen', 'close', 'annotate']),
  note: z.string().max(4000).optional(),
});
export type TriageAction = z.infer<typeof triageSchema>;

/** Applies a triage action and returns the alert and the live event to publish. */
export async function triageAlert(prisma: PrismaClient, principal: Principal, alertId: number, input: TriageAction): Promise<{ alert: AlertView; event: AlertAckEvent }> {
  return prisma.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id: alertId } });
    if (!alert) throw new AppError('not_found', `No alert ${alertId}.`);
    const note = input.note ?? alert.note;
    const data: Prisma.AlertUncheckedUpdateInput =
      input.action === 'acknowledge'
        ? { state: 'acknowledged', acknowledgedById: principal.userId, acknowledgedAt: new Date(), note }
        : input.action === 'reopen'
          ? { state: 'open', acknowledgedById: null, acknowledgedAt: null, liveKey: liveKeyOf(alert.hostId, alert.dedupeKey), note }
          : input.action === 'close'
            ? { state: 'closed', liveKey: null, note }
            : { note };
    if (input.action === 'reopen' && alert.state === 'closed') {
      const clash = await tx.alert.findUnique({ where: { liveKey: liveKeyOf(alert.hostId, alert.dedupeKey) } });
      if (clash) throw new AppError('conflict', `Alert ${clash.id} is already live for the same subject.`);
    }
    const updated = await tx.alert.update({ where: { id: alertId }, data, include: alertInclude });
    await tx.auditLog.create({
      data: {
        actorId: principal.userId,
        actorName: principal.name,
        action: `alert.${input.action}`,
        target: `alert:${alertId}`,
        detail: { host: updated.host.name, kind: updated.kind, before: alert.state, after: updated.state, note: input.note ?? null },
      },
    });
    const openCount = await tx.alert.count({ where: { hostId: alert.hostId, state: 'open' } });
    await tx.host.update({ where: { id: alert.hostId }, data: { openAlertCount: openCount } });
    const view = toView(updated);
    return {
      alert: view,
      event: { id: view.id, host: view.host, kind: view.kind, state: view.state, by: principal.name, acknowledgedAt: view.acknowledgedAt, note: view.note },
    };
  });
}
