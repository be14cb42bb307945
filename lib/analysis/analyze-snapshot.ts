// At ingest, inside the storing transaction: what changed since the host's previous snapshot
// (by meaning, not by line), and which of those changes deserve an alert.
import type { Prisma } from '@/lib/generated/prisma/client';
import { evaluateAlerts, type AlertCandidate, type Baseline } from '@/lib/alerts/rules';
import { diffSnapshots, summarizeDiff } from '@/lib/diff/diff-snapshots';
import type { DiffSummary, SnapshotSections } from '@/lib/diff/types';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import type { AlertEvent } from '@/lib/realtime/events';
import type { Snapshot, SnapshotSection } from '@/lib/schemas/snapshot';
import { readSections, type SectionSetIds } from '@/lib/snapshots/read-snapshot';
import { countOpenAlerts, recordAlerts } from './record-alerts';

export interface AnalysisContext {
  host: AuthenticatedHost;
  snapshot: Snapshot;
  snapshotId: bigint;
  previous: (SectionSetIds & { id: bigint }) | null;
  current: SectionSetIds;
  changedSections: SnapshotSection[];
}

export interface AnalysisResult {
  /** Counts of the diff against the previous snapshot; null on a host's first snapshot. */
  diffSummary: DiffSummary | null;
  alerts: AlertEvent[];
  openAlertCount: number;
}

/** What a snapshot changed, worked out before its row is written (so the summary goes into that row). */
export interface Evaluation {
  diffSummary: DiffSummary | null;
  candidates: AlertCandidate[];
}

type Tx = Prisma.TransactionClient;

export async function analyzeSnapshot(tx: Tx, context: AnalysisContext): Promise<AnalysisResult> {
  const evaluation = await evaluateSnapshot(tx, context);
  const alerts = await recordAlerts(tx, context.host, evaluation.candidates, context.snapshotId);
  return { diffSummary: evaluation.diffSummary, alerts, openAlertCount: await countOpenAlerts(tx, context.host.id) };
}

/** The diff and the alert candidates; needs no snapshot id, so ingest can run it before inserting. */
export async function evaluateSnapshot(tx: Tx, context: Omit<AnalysisContext, 'snapshotId'>): Promise<Evaluation> {
  // The common case, an unchanged snapshot, reads nothing.
  if (context.previous && context.changedSections.length === 0) return { diffSummary: emptySummary, candidates: [] };
  const current = sectionsOf(context.snapshot);
  const previous = context.previous ? await previousSections(tx, context.previous, current, context.changedSections) : null;
  const diff = diffSnapshots(previous ?? {}, current);
  const [baselines, promiscuousRules] = await Promise.all([baselinesFor(tx, context.host), tx.promiscuousRule.findMany()]);
  const candidates = evaluateAlerts({
    hostName: context.host.name,
    hostLabels: context.host.labels,
    diff,
    previous,
    current,
    baselines,
    promiscuousRules: promiscuousRules.map((rule) => ({ pattern: rule.pattern, expected: true as const })),
  });
  return { diffSummary: previous ? summarizeDiff(diff) : null, candidates };
}

function sectionsOf(snapshot: Snapshot): SnapshotSections {
  const sections: SnapshotSections = {};
  if (snapshot.sockets) sections.sockets = snapshot.sockets;
  if (snapshot.processes) sections.processes = snapshot.processes;
  if (snapshot.interfaces) sections.interfaces = snapshot.interfaces;
  if (snapshot.traceroutes) sections.traceroutes = snapshot.traceroutes;
  return sections;
}

/** Reads only the changed sections back; an unchanged section equals the current one by hash. */
async function previousSections(tx: Tx, sets: SectionSetIds, current: SnapshotSections, changed: SnapshotSection[]): Promise<SnapshotSections> {
  const read = await readSections(tx, sets, new Set(changed));
  const merged: SnapshotSections = { ...read };
  for (const section of Object.keys(current) as SnapshotSection[]) {
    if (!changed.includes(section)) Object.assign(merged, { [section]: current[section] });
  }
  return merged;
}

async function baselinesFor(tx: Tx, host: AuthenticatedHost): Promise<Baseline[]> {
  const rows = await tx.baseline.findMany({
    where: { OR: [{ hostId: host.id }, { label: { in: host.labels } }, { hostId: null, label: null }] },
    include: { host: { select: { name: true } } },
  });
  return rows.map((row) => ({
    hostName: row.host?.name ?? null,
    label: row.label,
    proto: row.proto,
    port: row.port,
    localAddress: row.localAddress,
    process: row.process,
  }));
}

const noChange = { added: 0, removed: 0, changed: 0 };
export const emptySummary: DiffSummary = {
  sockets: noChange,
  processes: noChange,
  interfaces: noChange,
  traceroutes: noChange,
  widened: 0,
  promiscuousOn: [],
  promiscuousOff: [],
};
