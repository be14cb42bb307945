// Analysts work alerts: acknowledge, annotate, close, reopen. Every change is written to the audit
// log (who, when, what) in the same transaction.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { alertInclude, toAlertView, type AlertView } from '@/lib/alerts/list-alerts';
import { liveKeyOf } from '@/lib/alerts/record-alerts';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import type { AlertAckEvent } from '@/lib/realtime/events';

const triageActions = ['acknowledge', 'reopen', 'close', 'annotate'] as const;

/** What an analyst asks: an action on the alert, with an optional note. */
export const triageRequestSchema = z.strictObject({
  action: z.enum(triageActions),
  note: z.string().max(4000).optional(),
});
export type TriageRequest = z.infer<typeof triageRequestSchema>;

/** Applies a triage action and returns the alert and the live event to publish. */
export async function applyTriage(
  prisma: PrismaClient,
  principal: Principal,
  alertId: number,
  input: TriageRequest,
): Promise<{ alert: AlertView; event: AlertAckEvent }> {
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
    const view = toAlertView(updated);
    return {
      alert: view,
      event: { id: view.id, host: view.host, kind: view.kind, state: view.state, by: principal.name, acknowledgedAt: view.acknowledgedAt, note: view.note },
    };
  });
}
