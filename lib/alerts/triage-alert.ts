// Analysts work alerts: acknowledge, annotate, close, reopen. Every change is written to the audit
// log (who, when, what) in the same transaction.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { alertInclude, toAlertView, type AlertView } from '@/lib/alerts/list-alerts';
import { liveKeyOf } from '@/lib/alerts/record-alerts';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { MAX_ALERTS_PER_TRIAGE } from './triage-limits';
import type { AlertAckEvent } from '@/lib/realtime/events';

const triageActions = ['acknowledge', 'reopen', 'close', 'annotate'] as const;

/** What an analyst asks: an action on the alert, with an optional note. */
export const triageRequestSchema = z.strictObject({
  action: z.enum(triageActions),
  note: z.string().max(4000).optional(),
});
export type TriageRequest = z.infer<typeof triageRequestSchema>;

/** The same action on several alerts at once (a group on the alerts page): all of them or none. */
export const bulkTriageRequestSchema = triageRequestSchema.extend({
  ids: z.array(z.number().int().positive().max(2_147_483_647, 'is larger than any id')).min(1).max(MAX_ALERTS_PER_TRIAGE),
});
export type BulkTriageRequest = z.infer<typeof bulkTriageRequestSchema>;

interface Triaged {
  alert: AlertView;
  event: AlertAckEvent;
}

/** Applies a triage action and returns the alert and the live event to publish. */
export async function applyTriage(prisma: PrismaClient, principal: Principal, alertId: number, input: TriageRequest): Promise<Triaged> {
  return prisma.$transaction(async (tx) => {
    const triaged = await triageOne(tx, principal, alertId, input);
    await refreshOpenAlertCounts(tx, [triaged.hostId]);
    return triaged.result;
  });
}

/**
 * Applies one action to each alert, in one transaction: an unknown id or a conflict refuses the
 * whole request and changes nothing. Each alert gets its own audit entry and live event.
 */
export async function applyTriageToMany(prisma: PrismaClient, principal: Principal, input: BulkTriageRequest): Promise<Triaged[]> {
  const ids = [...new Set(input.ids)];
  return prisma.$transaction(
    async (tx) => {
      const results: Triaged[] = [];
      const hostIds = new Set<number>();
      for (const id of ids) {
        const triaged = await triageOne(tx, principal, id, input, 'ids');
        results.push(triaged.result);
        hostIds.add(triaged.hostId);
      }
      await refreshOpenAlertCounts(tx, [...hostIds]);
      return results;
    },
    // 500 alerts, each read, written and audited: more than Prisma's default 5 s on a busy server.
    { timeout: 30_000 },
  );
}

async function triageOne(
  tx: Prisma.TransactionClient,
  principal: Principal,
  alertId: number,
  input: TriageRequest,
  field?: string,
): Promise<{ result: Triaged; hostId: number }> {
  const alert = await tx.alert.findUnique({ where: { id: alertId } });
  if (!alert) throw new AppError('not_found', `No alert ${alertId}.`, field ? [{ path: field, message: `no alert ${alertId}` }] : []);
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
  const view = toAlertView(updated);
  return {
    hostId: alert.hostId,
    result: {
      alert: view,
      event: { id: view.id, host: view.host, kind: view.kind, state: view.state, by: principal.name, acknowledgedAt: view.acknowledgedAt, note: view.note },
    },
  };
}

async function refreshOpenAlertCounts(tx: Prisma.TransactionClient, hostIds: readonly number[]): Promise<void> {
  for (const hostId of hostIds) {
    const openCount = await tx.alert.count({ where: { hostId, state: 'open' } });
    await tx.host.update({ where: { id: hostId }, data: { openAlertCount: openCount } });
  }
}
