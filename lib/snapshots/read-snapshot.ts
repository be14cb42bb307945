// Reads a stored snapshot back whole: for each section it collected, the rows present in it
// (lib/history/read-rows.ts), and the traceroute runs it carried.
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { prismaSqlRunner } from '@/lib/db/sql-client';
import { readRowsAt } from '@/lib/history/read-rows';
import { readTracerouteRunsAt } from '@/lib/history/traceroute-runs';
import type { SnapshotSections } from '@/lib/diff/types';
import type { SnapshotSection } from '@/lib/schemas/snapshot';
import { toDateText } from '@/lib/retention/retention-weeks';

type Db = PrismaClient | Prisma.TransactionClient;

/** Which snapshot: its host, its number among the host's snapshots, its week and what it collected. */
export interface SnapshotPlace {
  hostId: number;
  seq: number;
  retainUntil: Date;
  sections: readonly string[];
}

export async function readSections(db: Db, snapshot: SnapshotPlace, only?: ReadonlySet<SnapshotSection>): Promise<SnapshotSections> {
  const sql = prismaSqlRunner(db);
  const wants = (section: SnapshotSection) => snapshot.sections.includes(section) && (!only || only.has(section));
  const at = { seq: snapshot.seq, retainUntil: toDateText(snapshot.retainUntil) };
  const [sockets, processes, interfaces, packages, traceroutes] = await Promise.all([
    wants('sockets') ? readRowsAt(sql, 'sockets', snapshot.hostId, at) : undefined,
    wants('processes') ? readRowsAt(sql, 'processes', snapshot.hostId, at) : undefined,
    wants('interfaces') ? readRowsAt(sql, 'interfaces', snapshot.hostId, at) : undefined,
    wants('packages') ? readRowsAt(sql, 'packages', snapshot.hostId, at) : undefined,
    wants('traceroutes') ? readTracerouteRunsAt(sql, snapshot.hostId, snapshot.seq) : undefined,
  ]);
  const sections: SnapshotSections = {};
  if (sockets) sections.sockets = sockets;
  if (processes) sections.processes = processes;
  if (interfaces) sections.interfaces = interfaces;
  if (traceroutes) sections.traceroutes = traceroutes;
  if (packages) sections.packages = packages;
  return sections;
}

export interface StoredSnapshot extends SnapshotSections {
  id: string;
  host: { name: string; os: string | null; kernel: string | null };
  collectedAt: string;
  receivedAt: string;
  idempotencyKey: string;
  collectorVersion: string | null;
  run: unknown;
  changedSections: string[];
}

export async function readSnapshot(db: Db, snapshotId: bigint): Promise<StoredSnapshot | null> {
  const snapshot = await db.snapshot.findFirst({ where: { id: snapshotId }, include: { host: true } });
  if (!snapshot) return null;
  const sections = await readSections(db, snapshot);
  return {
    id: snapshot.id.toString(),
    host: { name: snapshot.host.name, os: snapshot.host.os, kernel: snapshot.host.kernel },
    collectedAt: snapshot.collectedAt.toISOString(),
    receivedAt: snapshot.receivedAt.toISOString(),
    idempotencyKey: snapshot.idempotencyKey,
    collectorVersion: snapshot.collectorVersion,
    run: snapshot.run,
    changedSections: snapshot.changedSections,
    ...sections,
  };
}
