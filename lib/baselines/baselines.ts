// Expected listeners, per host or per host label: they raise no alert, the diff still shows them.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/http/errors';
import { hostName, port, socketProtocol } from '@/lib/schemas/snapshot';

export const baselineInputSchema = z
  .strictObject({
    host: hostName.optional(),
    label: z.string().min(1).max(64).optional(),
    proto: socketProtocol.optional(),
    port,
    localAddress: z.string().min(1).max(64).optional(),
    process: z.string().min(1).max(4096).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine((value) => !(value.host && value.label), { message: 'give a host or a label, not both', path: ['label'] });

// What the API shows of a baseline, created or listed: the names of its host and creator, not their ids.
const baselineViewSelect = {
  id: true,
  host: { select: { name: true } },
  label: true,
  proto: true,
  port: true,
  localAddress: true,
  process: true,
  note: true,
  createdBy: { select: { name: true } },
  createdAt: true,
} satisfies Prisma.BaselineSelect;

type BaselineViewRow = Prisma.BaselineGetPayload<{ select: typeof baselineViewSelect }>;

const toBaselineView = (row: BaselineViewRow) => ({ ...row, host: row.host?.name ?? null, createdBy: row.createdBy?.name ?? null });
export type BaselineView = ReturnType<typeof toBaselineView>;

export async function createBaseline(prisma: PrismaClient, principal: Principal, input: z.infer<typeof baselineInputSchema>): Promise<BaselineView> {
  return prisma.$transaction(async (tx) => {
    const host = input.host ? await tx.host.findUnique({ where: { name: input.host } }) : null;
    if (input.host && !host) throw new AppError('not_found', `No host named ${input.host}.`, [{ path: 'host', message: 'no such host' }]);
    const baseline = await tx.baseline.create({
      data: {
        hostId: host?.id ?? null,
        label: input.label ?? null,
        proto: input.proto ?? null,
        port: input.port,
        localAddress: input.localAddress ?? null,
        process: input.process ?? null,
        note: input.note ?? null,
        createdById: principal.userId,
      },
      select: baselineViewSelect,
    });
    await tx.auditLog.create({
      data: { actorId: principal.userId, actorName: principal.name, action: 'baseline.create', target: `baseline:${baseline.id}`, detail: input },
    });
    return toBaselineView(baseline);
  });
}

export async function listBaselines(prisma: PrismaClient): Promise<BaselineView[]> {
  const rows = await prisma.baseline.findMany({ select: baselineViewSelect, orderBy: { id: 'asc' } });
  return rows.map(toBaselineView);
}

export async function deleteBaseline(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const deleted = await tx.baseline.deleteMany({ where: { id } });
    if (deleted.count === 0) throw new AppError('not_found', `No baseline ${id}.`);
    await tx.auditLog.create({ data: { actorId: principal.userId, actorName: principal.name, action: 'baseline.delete', target: `baseline:${id}` } });
  });
}
