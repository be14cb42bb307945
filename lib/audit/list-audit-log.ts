// The audit trail: who changed what and when (acknowledgements, baselines, rules, tokens, users).
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { databaseId, queryText } from '@/lib/http/query-fields';

export const auditQuerySchema = z.object({
  target: queryText(128).optional(),
  before: databaseId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listAuditLog(prisma: PrismaClient, query: z.infer<typeof auditQuerySchema>) {
  const rows = await prisma.auditLog.findMany({
    where: { ...(query.target ? { target: query.target } : {}), ...(query.before ? { id: { lt: query.before } } : {}) },
    orderBy: { id: 'desc' },
    take: query.limit,
  });
  return rows.map((row) => ({ ...row, id: row.id.toString(), at: row.at.toISOString() }));
}
