// Expected listeners, per host, per host label or fleet-wide: they raise no alert, the diff still
// shows them. Stored as Baseline rows and served at /api/v1/baselines; matched in lib/alerts/rules/expected.ts.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { actorOf, recordAudit } from '@/lib/auth/audit';
import type { Principal } from '@/lib/auth/principal';
import { deleteExpectation, findScopeHostId, hasOneScope, oneScopeIssue, scopeFields, withNames, withNamesInclude } from '@/lib/expectations/scope';
import { port, socketProtocol } from '@/lib/schemas/snapshot';

export const expectedListenerInputSchema = z
  .strictObject({
    ...scopeFields,
    proto: socketProtocol.optional(),
    port,
    localAddress: z.string().min(1).max(64).optional(),
    process: z.string().min(1).max(4096).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine(hasOneScope, oneScopeIssue);

export async function createExpectedListener(prisma: PrismaClient, principal: Principal, input: z.infer<typeof expectedListenerInputSchema>) {
  return prisma.$transaction(async (tx) => {
    const baseline = await tx.baseline.create({
      data: {
        hostId: await findScopeHostId(tx, input.host),
        label: input.label ?? null,
        proto: input.proto ?? null,
        port: input.port,
        localAddress: input.localAddress ?? null,
        process: input.process ?? null,
        note: input.note ?? null,
        createdById: principal.userId,
      },
      include: withNamesInclude,
    });
    await recordAudit(tx, actorOf(principal), 'baseline.create', `baseline:${baseline.id}`, input);
    return withNames(baseline);
  });
}

export async function listExpectedListeners(prisma: PrismaClient) {
  return (await prisma.baseline.findMany({ include: withNamesInclude, orderBy: { id: 'asc' } })).map(withNames);
}

export async function deleteExpectedListener(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await deleteExpectation(prisma, principal, { id, kind: 'baseline', noun: 'baseline', remove: (tx) => tx.baseline.deleteMany({ where: { id } }) });
}
