// Name patterns of interfaces that are promiscuous by design (bridges, container veths): matching
// interfaces raise no promiscuous-mode alert (lib/alerts/rules/expected.ts). Changes are audited.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { actorOf, recordAudit } from '@/lib/auth/audit';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';

export const promiscuousRuleInputSchema = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.:@*?-]+$/, 'must be an interface name pattern (letters, digits, . _ - : @ and the wildcards * ?)'),
  note: z.string().max(500).optional(),
});

export async function listPromiscuousRules(prisma: PrismaClient) {
  return prisma.promiscuousRule.findMany({ orderBy: { pattern: 'asc' } });
}

export async function createPromiscuousRule(prisma: PrismaClient, principal: Principal, input: z.infer<typeof promiscuousRuleInputSchema>) {
  return prisma.$transaction(async (tx) => {
    if (await tx.promiscuousRule.findUnique({ where: { pattern: input.pattern } })) {
      throw new AppError('conflict', `A rule for ${input.pattern} exists already.`, [{ path: 'pattern', message: 'already exists' }]);
    }
    const rule = await tx.promiscuousRule.create({ data: { pattern: input.pattern, note: input.note ?? null } });
    await recordAudit(tx, actorOf(principal), 'promiscuous-rule.create', `promiscuous-rule:${rule.id}`, input);
    return rule;
  });
}

export async function deletePromiscuousRule(prisma: PrismaClient, principal: Principal, id: number): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const rule = await tx.promiscuousRule.findUnique({ where: { id } });
    if (!rule) throw new AppError('not_found', `No promiscuous rule ${id}.`);
    await tx.promiscuousRule.delete({ where: { id } });
    await recordAudit(tx, actorOf(principal), 'promiscuous-rule.delete', `promiscuous-rule:${id}`, { pattern: rule.pattern });
  });
}
