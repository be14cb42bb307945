// Diff of any two snapshots of one host (not only neighbours), by meaning.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { diffSnapshots, summarizeDiff } from '@/lib/diff/diff-snapshots';
import { AppError } from '@/lib/http/errors';
import { readSections } from './read-snapshot';

export async function diffStoredSnapshots(prisma: PrismaClient, hostName: string, fromId: bigint, toId: bigint) {
  const host = await prisma.host.findUnique({ where: { name: hostName }, select: { id: true } });
  if (!host) throw new AppError('not_found', `No host named ${hostName}.`);
  const [from, to] = await Promise.all([
    prisma.snapshot.findFirst({ where: { id: fromId, hostId: host.id } }),
    prisma.snapshot.findFirst({ where: { id: toId, hostId: host.id } }),
  ]);
  if (!from) throw new AppError('not_found', `Host ${hostName} has no snapshot ${fromId}.`, [{ path: 'from', message: 'no such snapshot of this host' }]);
  if (!to) throw new AppError('not_found', `Host ${hostName} has no snapshot ${toId}.`, [{ path: 'to', message: 'no such snapshot of this host' }]);
  const [before, after] = await Promise.all([readSections(prisma, from), readSections(prisma, to)]);
  const diff = diffSnapshots(before, after);
  return {
    host: hostName,
    from: { id: from.id.toString(), collectedAt: from.collectedAt.toISOString() },
    to: { id: to.id.toString(), collectedAt: to.collectedAt.toISOString() },
    summary: summarizeDiff(diff),
    ...diff,
  };
}
