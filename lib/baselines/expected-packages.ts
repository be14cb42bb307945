// Expected packages, per host, per host label or fleet-wide, by name glob: their installation or
// change raises no alert (the diff still shows it); their removal still does.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/http/errors';
import { hostName } from '@/lib/schemas/snapshot';

export const expectedPackageInputSchema = z
  .strictObject({
    host: hostName.optional(),
    label: z.string().min(1).max(64).optional(),
    /** A package name, or a glob over names (`*` any run of characters, `?` one). */
    pattern: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[A-Za-z0-9.+_:*?-]+$/, 'must be a package name or a glob of one (letters, digits, . + - _ : * ?)'),
    note: z.string().max(2000).optional(),
  })
  .refine((value) => !(value.host && value.label), { message: 'give a host or a label, not both', path: ['label'] });

// What the API shows of an expected package, created or listed: the names of its host and creator, not their ids.
const expectedPackageViewSelect = {
  id: true,
  host: { select: { name: true } },
  label: true,
  pattern: true,
  note: true,
  createdBy: { select: { name: true } },
  createdAt: true,
} satisfies Prisma.ExpectedPackageSelect;

type ExpectedPackageViewRow = Prisma.ExpectedPackageGetPayload<{ select: typeof expectedPackageViewSelect }>;

const toExpectedPackageView = (row: ExpectedPackageViewRow) => ({ ...row, host: row.host?.name ?? null, createdBy: row.createdBy?.name ?? null });
export type ExpectedPackageView = ReturnType<typeof toExpectedPackageView>;

export async function createExpectedPackage(prisma: PrismaClient, principal: Principal, input: z.infer<typeof expectedPackageInputSchema>): Promise<ExpectedPackageView> {
  return prisma.$transaction(async (tx) => {
    const host = input.host ? await tx.host.findUnique({ where: { name: input.host } }) : null;
    if (input.host && !host) throw new AppError('not_found', `No host named ${input.host}.`, [{ path: 'host', message: 'no such host' }]);
    const expected = await tx.expectedPackage.create({
      data: { hostId: host?.id ?? null, label: input.label ?? null, pattern: input.pattern, note: input.note ?? null, createdById: principal.userId },
      select: expectedPackageViewSelect,
    });
    await tx.auditLog.create({
      data: { actorId: principal.userId, actorName: principal.name, action: 'expected-package.create', target: `expected-package:${expected.id}`, detail: input },
    });
    return toExpectedPackageView(expected);
  });
}

export async function listExpectedPackages(prisma: PrismaClient): Promise<ExpectedPackageView[]> {
  const rows = await prisma.expectedPackage.findMany({ select: expectedPackageViewSelect, orderBy: { id: 'asc' } });
  return rows.map(toExpectedPackageView);
}

export async function deleteExpectedPackage(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const deleted = await tx.expectedPackage.deleteMany({ where: { id } });
    if (deleted.count === 0) throw new AppError('not_found', `No expected package ${id}.`);
    await tx.auditLog.create({ data: { actorId: principal.userId, actorName: principal.name, action: 'expected-package.delete', target: `expected-package:${id}` } });
  });
}
