// A host's timeline: newest first, with which sections changed and the diff summary.
import { z } from 'zod';
import { emptySummary } from '@/lib/diff/summarize-diff';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors';
import { databaseId } from '@/lib/http/query-fields';

export const snapshotListQuerySchema = z.object({
  before: databaseId.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  changedOnly: z.enum(['1', 'true']).optional(),
});

export async function listSnapshots(prisma: PrismaClient, hostName: string, query: z.infer<typeof snapshotListQuerySchema>) {
  const host = await prisma.host.findUnique({ where: { name: hostName }, select: { id: true } });
  if (!host) throw new AppError('not_found', `No host named ${hostName}.`);
  const rows = await prisma.snapshot.findMany({
    where: {
      hostId: host.id,
      ...(query.before ? { id: { lt: query.before } } : {}),
      ...(query.changedOnly ? { NOT: { changedSections: { isEmpty: true } } } : {}),
    },
    orderBy: { id: 'desc' },
    take: query.limit,
    select: { id: true, collectedAt: true, receivedAt: true, changedSections: true, diffSummary: true, collectorVersion: true },
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    collectedAt: row.collectedAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    changedSections: row.changedSections,
    // Ingest stores no summary for a snapshot that changed nothing (it would be all zeros).
    diffSummary: row.diffSummary ?? (row.changedSections.length === 0 ? emptySummary : null),
    collectorVersion: row.collectorVersion,
  }));
}
