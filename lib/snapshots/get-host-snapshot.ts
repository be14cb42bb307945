// One stored snapshot of one host, whole: every collected section, for the diff page's unchanged rows.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors';
import { readSnapshot, type StoredSnapshot } from '@/lib/snapshots/read-snapshot';

export async function getHostSnapshot(prisma: PrismaClient, hostName: string, snapshotId: bigint): Promise<StoredSnapshot> {
  const snapshot = await readSnapshot(prisma, snapshotId);
  // Another host's snapshot is "not found" here, so ids cannot be probed across hosts.
  if (!snapshot || snapshot.host.name !== hostName) {
    throw new AppError('not_found', `Host ${hostName} has no snapshot ${snapshotId}.`, [{ path: 'id', message: 'no such snapshot of this host' }]);
  }
  return snapshot;
}
