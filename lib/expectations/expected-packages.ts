// Expected packages, per host, per host label or fleet-wide, by name glob: their installation or
// change raises no alert (the diff still shows it); their removal still does.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { actorOf, recordAudit } from '@/lib/auth/audit';
import type { Principal } from '@/lib/auth/principal';
import { deleteExpectation, findScopeHostId, hasOneScope, oneScopeIssue, scopeFields, withNames, withNamesInclude } from '@/lib/expectations/scope';

export const expectedPackageInputSchema = z
  .strictObject({
    ...scopeFields,
    /** A package name, or a glob over names (`*` any run of characters, `?` one). */
    pattern: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[A-Za-z0-9.+_:*?-]+$/, 'must be a package name or a glob of one (letters, digits, . + - _ : * ?)'),
    note: z.string().max(2000).optional(),
  })
  .refine(hasOneScope, oneScopeIssue);

export async function createExpectedPackage(prisma: PrismaClient, principal: Principal, input: z.infer<typeof expectedPackageInputSchema>) {
  return prisma.$transaction(async (tx) => {
    const expected = await tx.expectedPackage.create({
      data: {
        hostId: await findScopeHostId(tx, input.host),
        label: input.label ?? null,
        pattern: input.pattern,
        note: input.note ?? null,
        createdById: principal.userId,
      },
      include: withNamesInclude,
    });
    await recordAudit(tx, actorOf(principal), 'expected-package.create', `expected-package:${expected.id}`, input);
    return withNames(expected);
  });
}

export async function listExpectedPackages(prisma: PrismaClient) {
  return (await prisma.expectedPackage.findMany({ include: withNamesInclude, orderBy: { id: 'asc' } })).map(withNames);
}

export async function deleteExpectedPackage(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await deleteExpectation(prisma, principal, {
    id,
    kind: 'expected-package',
    noun: 'expected package',
    remove: (tx) => tx.expectedPackage.deleteMany({ where: { id } }),
  });
}
