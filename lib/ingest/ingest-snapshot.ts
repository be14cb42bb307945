// Stores one snapshot all-or-nothing: section sets (new rows only for changed content), the
// snapshot row, the analysis (diff + alerts) and the host's summary, in one transaction.
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import type { Section } from '@/lib/generated/prisma/enums';
import { analyzeSnapshot, type AnalysisResult } from '@/lib/analysis/analyze-snapshot';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/http/errors';
import { isListening, snapshotSections, type Snapshot, type SnapshotSection } from '@/lib/schemas/snapshot';
import { hashSection } from '@/lib/snapshots/section-hash';
import { insertInterfaceRows, insertProcessRows, insertSocketRows, insertTracerouteRows } from '@/lib/snapshots/section-rows';
import type { SectionSetIds } from '@/lib/snapshots/read-snapshot';

type Tx = Prisma.TransactionClient;

export interface IngestResult {
  id: string;
  hostName: string;
  /** Per collected section: does it differ from the host's previous snapshot? */
  changed: Partial<Record<SnapshotSection, boolean>>;
  /** True when this idempotency key was stored before: nothing new was written. */
  replayed: boolean;
  analysis: AnalysisResult | null;
}

const setIdField = {
  sockets: 'socketsSetId',
  processes: 'processesSetId',
  interfaces: 'interfacesSetId',
  traceroutes: 'traceroutesSetId',
} as const satisfies Record<SnapshotSection, keyof SectionSetIds>;

export async function ingestSnapshot(prisma: PrismaClient, host: AuthenticatedHost, snapshot: Snapshot): Promise<IngestResult> {
  if (snapshot.host.name !== host.name) {
    throw new AppError('forbidden', `This token belongs to host ${host.name}; it cannot post for ${snapshot.host.name}.`, [
      { path: 'host.name', message: 'does not match the token' },
    ]);
  }
  try {
    return await prisma.$transaction((tx) => storeSnapshot(tx, host, snapshot), { maxWait: 10_000, timeout: 60_000 });
  } catch (error) {
    // A concurrent retry with the same key won the race: answer with what it stored.
    if (isUniqueViolation(error)) {
      const replay = await findReplay(prisma, host, snapshot.idempotencyKey);
      if (replay) return replay;
    }
    throw error;
  }
}

async function storeSnapshot(tx: Tx, host: AuthenticatedHost, snapshot: Snapshot): Promise<IngestResult> {
  const replay = await findReplay(tx, host, snapshot.idempotencyKey);
  if (replay) return replay;

  // Serialise ingests of one host, so "previous snapshot" is well defined.
  const [locked] = await tx.$queryRaw<{ lastSnapshotId: bigint | null; intervalSeconds: number }[]>`
    SELECT "lastSnapshotId", "intervalSeconds" FROM "Host" WHERE "id" = ${host.id} FOR UPDATE`;
  const previous = locked?.lastSnapshotId
    ? await tx.snapshot.findUnique({ where: { id: locked.lastSnapshotId } })
    : null;

  const setIds: SectionSetIds = { socketsSetId: null, processesSetId: null, interfacesSetId: null, traceroutesSetId: null };
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of snapshotSections) {
    const rows = snapshot[section];
    if (!rows) continue;
    const setId = await findOrCreateSectionSet(tx, host.id, section, rows);
    setIds[setIdField[section]] = setId;
    changed[section] = previous?.[setIdField[section]] !== setId;
  }

  const changedSections = (Object.keys(changed) as SnapshotSection[]).filter((section) => changed[section]);
  const stored = await tx.snapshot.create({
    data: {
      hostId: host.id,
      collectedAt: new Date(snapshot.collectedAt),
      idempotencyKey: snapshot.idempotencyKey,
      collectorVersion: snapshot.collectorVersion ?? null,
      run: (snapshot.run ?? undefined) as Prisma.InputJsonValue | undefined,
      changedSections: changedSections as Section[],
      ...setIds,
    },
  });

  const analysis = await analyzeSnapshot(tx, { host, snapshot, snapshotId: stored.id, previous, current: setIds, changedSections });
  if (analysis.diffSummary) {
    await tx.snapshot.update({ where: { id: stored.id }, data: { diffSummary: analysis.diffSummary as unknown as Prisma.InputJsonValue } });
  }

  const now = new Date();
  await tx.host.update({
    where: { id: host.id },
    data: {
      os: snapshot.host.os ?? undefined,
      kernel: snapshot.host.kernel ?? undefined,
      firstSeenAt: previous ? undefined : now,
      lastSeenAt: now,
      lastSnapshotId: stored.id,
      silentAlertedAt: null,
      intervalSeconds: previous ? learnInterval(locked?.intervalSeconds ?? 60, previous.collectedAt, stored.collectedAt) : undefined,
      ...(snapshot.sockets ? { listenerCount: snapshot.sockets.filter(isListening).length } : {}),
      ...(snapshot.interfaces ? { promiscuousCount: snapshot.interfaces.filter((row) => row.promiscuous).length } : {}),
      openAlertCount: analysis.openAlertCount,
    },
  });

  return { id: stored.id.toString(), hostName: host.name, changed, replayed: false, analysis };
}

async function findOrCreateSectionSet(tx: Tx, hostId: number, section: SnapshotSection, rows: readonly unknown[]): Promise<bigint> {
  const hash = hashSection(rows);
  const existing = await tx.sectionSet.findUnique({ where: { hostId_section_hash: { hostId, section, hash } }, select: { id: true } });
  if (existing) return existing.id;
  const set = await tx.sectionSet.create({ data: { hostId, section, hash, rowCount: rows.length }, select: { id: true } });
  await insertSectionRows(tx, set.id, section, rows);
  return set.id;
}

async function insertSectionRows(tx: Tx, setId: bigint, section: SnapshotSection, rows: readonly unknown[]): Promise<void> {
  switch (section) {
    case 'sockets':
      return insertSocketRows(tx, setId, rows as Snapshot['sockets'] & object);
    case 'processes':
      return insertProcessRows(tx, setId, rows as Snapshot['processes'] & object);
    case 'interfaces':
      return insertInterfaceRows(tx, setId, rows as Snapshot['interfaces'] & object);
    case 'traceroutes':
      return insertTracerouteRows(tx, setId, rows as Snapshot['traceroutes'] & object);
  }
}

async function findReplay(db: Tx | PrismaClient, host: AuthenticatedHost, idempotencyKey: string): Promise<IngestResult | null> {
  const existing = await db.snapshot.findUnique({
    where: { hostId_idempotencyKey: { hostId: host.id, idempotencyKey } },
    select: { id: true, changedSections: true, socketsSetId: true, processesSetId: true, interfacesSetId: true, traceroutesSetId: true },
  });
  if (!existing) return null;
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of snapshotSections) {
    if (existing[setIdField[section]] !== null) changed[section] = existing.changedSections.includes(section);
  }
  return { id: existing.id.toString(), hostName: host.name, changed, replayed: true, analysis: null };
}

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === 'P2002' || candidate?.cause?.code === '23505';
}

/** The collector's interval, learnt from the gaps between its snapshots (smoothed, so one late run does not move it much). */
export function learnInterval(current: number, previousCollectedAt: Date, collectedAt: Date): number {
  const gapSeconds = (collectedAt.getTime() - previousCollectedAt.getTime()) / 1000;
  if (!(gapSeconds >= 1 && gapSeconds <= 86_400)) return current;
  return Math.max(1, Math.round(current * 0.7 + gapSeconds * 0.3));
}
