// Reads a stored snapshot back whole, whichever earlier snapshots its unchanged sections share rows with.
import type { PrismaClient, Prisma } from '@/lib/generated/prisma/client';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { readInterfaceRows, readProcessRows, readSocketRows, readTracerouteRows } from './section-rows';

export type SnapshotSections = Pick<Snapshot, 'sockets' | 'processes' | 'interfaces' | 'traceroutes'>;

export interface SectionSetIds {
  socketsSetId: bigint | null;
  processesSetId: bigint | null;
  interfacesSetId: bigint | null;
  traceroutesSetId: bigint | null;
}

type Db = PrismaClient | Prisma.TransactionClient;

export async function readSections(db: Db, sets: SectionSetIds, only?: ReadonlySet<keyof SnapshotSections>): Promise<SnapshotSections> {
  const wants = (section: keyof SnapshotSections) => !only || only.has(section);
  const [sockets, processes, interfaces, traceroutes] = await Promise.all([
    sets.socketsSetId !== null && wants('sockets') ? readSocketRows(db, sets.socketsSetId) : undefined,
    sets.processesSetId !== null && wants('processes') ? readProcessRows(db, sets.processesSetId) : undefined,
    sets.interfacesSetId !== null && wants('interfaces') ? readInterfaceRows(db, sets.interfacesSetId) : undefined,
    sets.traceroutesSetId !== null && wants('traceroutes') ? readTracerouteRows(db, sets.traceroutesSetId) : undefined,
  ]);
  const sections: SnapshotSections = {};
  if (sockets) sections.sockets = sockets;
  if (processes) sections.processes = processes;
  if (interfaces) sections.interfaces = interfaces;
  if (traceroutes) sections.traceroutes = traceroutes;
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
  const snapshot = await db.snapshot.findUnique({ where: { id: snapshotId }, include: { host: true } });
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
