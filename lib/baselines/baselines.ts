// Expected listeners, per host or per host label: they raise no alert, the diff still shows them.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
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

export async function createBaseline(prisma: PrismaClient, principal: Principal, input: z.infer<typeof baselineInputSchema>) {
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
    });
    await tx.auditLog.create({
      data: { actorId: principal.userId, actorName: principal.name, action: 'baseline.create', target: `baseline:${baseline.id}`, detail: input },
    });
    return { ...baseline, host: input.host ?? null };
  });
}

export async function listBaselines(prisma: PrismaClient) {
  const rows = await prisma.baseline.findMany({ include: { host: { select: { name: true } }, createdBy: { select: { name: true } } }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({ ...row, host: row.host?.name ?? null, createdBy: row.createdBy?.name ?? null }));
}

export async function deleteBaseline(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const deleted = await tx.baseline.deleteMany({ where: { id } });
    if (deleted.count === 0) throw new AppError('not_found', `No baseline ${id}.`);
    await tx.auditLog.create({ data: { actorId: principal.userId, actorName: principal.name, action: 'baseline.delete', target: `baseline:${id}` } });
  });
}
