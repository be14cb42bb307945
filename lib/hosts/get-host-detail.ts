// One host with its current rows per section (whatever its latest snapshot collected: a section
// read hourly, such as packages, shows as last read), listening sockets first.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { getConfig } from '@/lib/config';
import { prismaSqlRunner } from '@/lib/db/sql-client';
import { readOpenRows } from '@/lib/history/read-rows';
import { AppError } from '@/lib/errors';
import { isListening, type InterfaceRow, type PackageRow, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';

export interface HostDetail {
  name: string;
  os: string | null;
  kernel: string | null;
  labels: string[];
  intervalSeconds: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  /** Until when the host learns its normal programs (no new-program alerts but those that must never wait). */
  learningUntil: string | null;
  snapshotId: string | null;
  collectedAt: string | null;
  listeningSockets: SocketRow[];
  establishedSockets: SocketRow[];
  processes: ProcessRow[] | null;
  interfaces: InterfaceRow[] | null;
  packages: PackageRow[] | null;
}

export async function getHostDetail(prisma: PrismaClient, name: string): Promise<HostDetail> {
  const host = await prisma.host.findUnique({ where: { name } });
  if (!host) throw new AppError('not_found', `No host named ${name}.`);
  const [snapshot, known] = await Promise.all([
    host.lastSnapshotId ? prisma.snapshot.findFirst({ where: { id: host.lastSnapshotId, hostId: host.id } }) : null,
    prisma.hostSection.findMany({ where: { hostId: host.id }, select: { section: true } }),
  ]);
  const sql = prismaSqlRunner(prisma);
  const has = (section: string) => known.some((entry) => entry.section === section);
  const [socketRows, processes, interfaces, packages] = await Promise.all([
    has('sockets') ? readOpenRows(sql, 'sockets', host.id) : null,
    has('processes') ? readOpenRows(sql, 'processes', host.id) : null,
    has('interfaces') ? readOpenRows(sql, 'interfaces', host.id) : null,
    has('packages') ? readOpenRows(sql, 'packages', host.id) : null,
  ]);
  const sockets = socketRows ?? [];
  return {
    name: host.name,
    os: host.os,
    kernel: host.kernel,
    labels: host.labels,
    intervalSeconds: host.intervalSeconds,
    firstSeenAt: host.firstSeenAt?.toISOString() ?? null,
    learningUntil: host.firstSeenAt ? new Date(host.firstSeenAt.getTime() + getConfig().SOCKSCOPE_LEARNING_HOURS * 3_600_000).toISOString() : null,
    lastSeenAt: host.lastSeenAt?.toISOString() ?? null,
    snapshotId: snapshot?.id.toString() ?? null,
    collectedAt: snapshot?.collectedAt.toISOString() ?? null,
    listeningSockets: sockets.filter(isListening).sort(bySocketPort),
    establishedSockets: sockets.filter((socket) => !isListening(socket)),
    processes,
    interfaces,
    packages,
  };
}

function bySocketPort(a: SocketRow, b: SocketRow): number {
  return (a.localPort ?? -1) - (b.localPort ?? -1) || a.proto.localeCompare(b.proto) || a.localAddress.localeCompare(b.localAddress);
}
