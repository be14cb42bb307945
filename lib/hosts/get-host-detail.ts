// One host with the latest snapshot's sections, listening sockets first.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/http/errors';
import { isListening, type InterfaceRow, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';
import { readSections } from '@/lib/snapshots/read-snapshot';

export interface HostDetail {
  name: string;
  os: string | null;
  kernel: string | null;
  labels: string[];
  intervalSeconds: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  snapshotId: string | null;
  collectedAt: string | null;
  listeningSockets: SocketRow[];
  establishedSockets: SocketRow[];
  processes: ProcessRow[] | null;
  interfaces: InterfaceRow[] | null;
}

export async function getHostDetail(prisma: PrismaClient, name: string): Promise<HostDetail> {
  const host = await prisma.host.findUnique({ where: { name } });
  if (!host) throw new AppError('not_found', `No host named ${name}.`);
  const snapshot = host.lastSnapshotId ? await prisma.snapshot.findFirst({ where: { id: host.lastSnapshotId } }) : null;
  const sections = snapshot ? await readSections(prisma, snapshot) : {};
  const sockets = sections.sockets ?? [];
  return {
    name: host.name,
    os: host.os,
    kernel: host.kernel,
    labels: host.labels,
    intervalSeconds: host.intervalSeconds,
    firstSeenAt: host.firstSeenAt?.toISOString() ?? null,
    lastSeenAt: host.lastSeenAt?.toISOString() ?? null,
    snapshotId: snapshot?.id.toString() ?? null,
    collectedAt: snapshot?.collectedAt.toISOString() ?? null,
    listeningSockets: sockets.filter(isListening).sort(bySocketPort),
    establishedSockets: sockets.filter((socket) => !isListening(socket)),
    processes: sections.processes ?? null,
    interfaces: sections.interfaces ?? null,
  };
}

function bySocketPort(a: SocketRow, b: SocketRow): number {
  return (a.localPort ?? -1) - (b.localPort ?? -1) || a.proto.localeCompare(b.proto) || a.localAddress.localeCompare(b.localAddress);
}
