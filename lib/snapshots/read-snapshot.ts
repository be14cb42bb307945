// Reads a stored snapshot back whole, whichever earlier snapshots its unchanged sections share rows with.
import type { PrismaClient, Prisma } from '@/lib/generated/prisma/client';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { readInterfaceRows, readProcessRows, readSocketRows, readTracerouteRows, type SetPlacement } from './section-rows';

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
  const wanted = {
    sockets: wants('sockets') ? sets.socketsSetId : null,
    processes: wants('processes') ? sets.processesSetId : null,
    interfaces: wants('interfaces') ? sets.interfacesSetId : null,
    traceroutes: wants('traceroutes') ? sets.traceroutesSetId : null,
  };
  const placed = await placeSets(db, Object.values(wanted).filter((id) => id !== null));
  // A set that is gone reads as no rows, as it always did.
  const placementOf = (setId: bigint): SetPlacement => placed.get(setId) ?? { setId, retainUntil: new Date(0) };
  const [sockets, processes, interfaces, traceroutes] = await Promise.all([
    wanted.sockets !== null ? readSocketRows(db, placementOf(wanted.sockets)) : undefined,
    wanted.processes !== null ? readProcessRows(db, placementOf(wanted.processes)) : undefined,
    wanted.interfaces !== null ? readInterfaceRows(db, placementOf(wanted.interfaces)) : undefined,
    wanted.traceroutes !== null ? readTracerouteRows(db, placementOf(wanted.traceroutes)) : undefined,
  ]);
  const sections: SnapshotSections = {};
  if (sockets) sections.sockets = sockets;
  if (processes) sections.processes = processes;
  if (interfaces) sections.interfaces = interfaces;
  if (traceroutes) sections.traceroutes = traceroutes;
  return sections;
}

/** Each set's week: rows are read from their week's partition alone (reading by set id plans every partition). */
async function placeSets(db: Db, setIds: bigint[]): Promise<Map<bigint, SetPlacement>> {
  if (setIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: string; week: string }[]>`
    SELECT "id"::text AS "id", "retainUntil"::text AS "week" FROM "SectionSet" WHERE "id" = ANY(${setIds.map(String)}::bigint[])`;
  return new Map(rows.map((row) => [BigInt(row.id), { setId: BigInt(row.id), retainUntil: new Date(`${row.week}T00:00:00.000Z`) }]));
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
