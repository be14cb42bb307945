// At ingest, inside the storing transaction: what changed since the host's previous snapshot
// (by meaning, not by line), and which of those changes deserve an alert. Works from the rows the
// snapshot opened and closed (lib/ingest/write-rows.ts) — rows that stayed are the same on both
// sides and change nothing — plus what the rules must see of the state around them.
import { evaluateAlerts, type AlertCandidate, type ExpectedListener, type ExpectedPackage } from '@/lib/alerts/rules/evaluate-alerts';
import type { SqlRunner } from '@/lib/db/sql-client';
import { diffInterfaces } from '@/lib/diff/interface-diff';
import { diffPackages } from '@/lib/diff/package-diff';
import { diffProcesses } from '@/lib/diff/process-diff';
import { diffSockets } from '@/lib/diff/socket-diff';
import { summarizeDiff } from '@/lib/diff/summarize-diff';
import { diffTraceroutes } from '@/lib/diff/traceroute-diff';
import type { DiffSummary, SnapshotDiff, SnapshotSections } from '@/lib/diff/types';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import type { ProgramContext } from '@/lib/alerts/rules/programs';
import { readNewPrograms } from '@/lib/ingest/known-programs';
import type { SectionChanges } from '@/lib/ingest/section-changes';
import type { WrittenRows } from '@/lib/ingest/write-rows';
import type { AlertEvent } from '@/lib/realtime/events';
import { rowHash, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import { isListening, type TracerouteRun } from '@/lib/schemas/snapshot';

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
  /** Counts after this snapshot, where it changed them (null: unchanged). */
  listenerCount: number | null;
  promiscuousCount: number | null;
}

export interface ChangeContext {
  host: AuthenticatedHost;
  /** The host's first snapshot: nothing to compare with. */
  isFirstSnapshot: boolean;
  changes: SectionChanges;
  written: WrittenRows;
  traceroutes: { current: TracerouteRun[]; previous: TracerouteRun[] } | null;
  /** The host is still learning its normal programs (lib/alerts/rules/process-alerts.ts). */
  isLearning: boolean;
}

const notCollected = { collected: false, added: [], removed: [], changed: [] };

export async function evaluateChanges(tx: SqlRunner, context: ChangeContext): Promise<Evaluation> {
  const { changes, written } = context;
  const comparable = <S extends RowSection>(section: S) => {
    const change = changes[section];
    if (!change?.wasKnown) return null;
    return { before: written.closed[section] ?? [], after: change.added };
  };
  const sockets = comparable('sockets');
  const processes = comparable('processes');
  const interfaces = comparable('interfaces');
  const packages = comparable('packages');
  const previousRuns = context.traceroutes?.previous ?? [];
  const diff: SnapshotDiff = {
    sockets: sockets ? diffSockets(sockets.before, sockets.after) : notCollected,
    processes: processes ? diffProcesses(processes.before, processes.after) : notCollected,
    interfaces: interfaces ? diffInterfaces(interfaces.before, interfaces.after) : notCollected,
    traceroutes: context.traceroutes && previousRuns.length > 0 ? diffTraceroutes(previousRuns, context.traceroutes.current) : notCollected,
    packages: packages ? diffPackages(packages.before, packages.after) : notCollected,
  };

  const currentListeners = afterChange('sockets', written.previousListeners, written.closed.sockets, changes.sockets?.added.filter(isListening));
  const currentInterfaces = afterChange('interfaces', written.previousInterfaces, written.closed.interfaces, changes.interfaces?.added);
  const previous: SnapshotSections = {};
  const current: SnapshotSections = {};
  if (sockets && written.previousListeners && currentListeners) {
    previous.sockets = written.previousListeners;
    current.sockets = currentListeners;
  }
  if (changes.interfaces && currentInterfaces) {
    current.interfaces = currentInterfaces;
    if (interfaces && written.previousInterfaces) previous.interfaces = written.previousInterfaces;
  }
  let programs: ProgramContext | undefined;
  if (changes.processes && changes.processes.added.length > 0) {
    // Every process list is recorded, the first one too: it is what the host learns from.
    const seen = await readNewPrograms(tx, context.host, changes.processes.added);
    programs = { isLearning: context.isLearning, isFirstLook: !changes.processes.wasKnown, ...seen };
    current.processes = changes.processes.added;
  }
  if (packages) {
    previous.packages = packages.before;
    current.packages = packages.after;
  }
  if (context.traceroutes) {
    current.traceroutes = context.traceroutes.current;
    if (previousRuns.length > 0) previous.traceroutes = previousRuns;
  }

  const candidates = await evaluateCandidates(tx, context.host, diff, previous, current, programs);
  return {
    diffSummary: context.isFirstSnapshot ? null : summarizeDiff(diff),
    candidates,
    listenerCount: currentListeners?.length ?? null,
    promiscuousCount: currentInterfaces ? currentInterfaces.filter((row) => row.promiscuous).length : null,
  };
}

/** Rows of a section after the snapshot: those before, less the ones that closed, plus the new ones. */
function afterChange<S extends 'sockets' | 'interfaces'>(
  section: S,
  before: RowOf[S][] | undefined,
  closed: RowOf[S][] | undefined,
  added: RowOf[S][] | undefined,
): RowOf[S][] | undefined {
  // No rows read before it: the section did not change (or was not sent), so nothing is known to change.
  if (before === undefined || added === undefined) return undefined;
  const remaining = new Map<string, number>();
  for (const row of closed ?? []) {
    const hash = rowHash(section, row);
    remaining.set(hash, (remaining.get(hash) ?? 0) + 1);
  }
  const kept = before.filter((row) => {
    const hash = rowHash(section, row);
    const count = remaining.get(hash) ?? 0;
    if (count === 0) return true;
    remaining.set(hash, count - 1);
    return false;
  });
  return [...kept, ...added];
}

/** Expected listeners, packages and promiscuous rules are read only when a rule could use them. */
async function evaluateCandidates(
  tx: SqlRunner,
  host: AuthenticatedHost,
  diff: SnapshotDiff,
  previous: SnapshotSections,
  current: SnapshotSections,
  programs: ProgramContext | undefined,
): Promise<AlertCandidate[]> {
  const touchesListeners = diff.sockets.added.length + diff.sockets.removed.length + diff.sockets.changed.length > 0;
  const touchesInterfaces = current.interfaces !== undefined;
  const touchesProcesses = programs !== undefined;
  const touchesTraceroutes = current.traceroutes !== undefined;
  const touchesPackages = diff.packages.added.length + diff.packages.removed.length + diff.packages.changed.length > 0;
  if (!touchesListeners && !touchesInterfaces && !touchesProcesses && !touchesTraceroutes && !touchesPackages) return [];
  const [expectedListeners, promiscuousRules, expectedPackages] = await Promise.all([
    touchesListeners ? readExpectedListeners(tx, host) : Promise.resolve([]),
    touchesInterfaces ? readPromiscuousRules(tx) : Promise.resolve([]),
    touchesPackages ? readExpectedPackages(tx, host) : Promise.resolve([]),
  ]);
  return evaluateAlerts({
    hostName: host.name,
    hostLabels: host.labels,
    diff,
    previous,
    current,
    expectedListeners,
    promiscuousRules: promiscuousRules.map((pattern) => ({ pattern, expected: true as const })),
    expectedPackages,
    ...(programs ? { programs } : {}),
  });
}

/** Expected listeners are stored as baselines. */
async function readExpectedListeners(tx: SqlRunner, host: AuthenticatedHost): Promise<ExpectedListener[]> {
  return tx.query<ExpectedListener>(
    `SELECT h."name" AS "hostName", b."label", b."proto", b."port", b."localAddress", b."process"
       FROM "Baseline" b LEFT JOIN "Host" h ON h."id" = b."hostId"
      WHERE b."hostId" = $1::int OR b."label" = ANY($2::text[]) OR (b."hostId" IS NULL AND b."label" IS NULL)`,
    [host.id, host.labels],
    { statementName: 'sockscope_baselines' },
  );
}

async function readExpectedPackages(tx: SqlRunner, host: AuthenticatedHost): Promise<ExpectedPackage[]> {
  return tx.query<ExpectedPackage>(
    `SELECT h."name" AS "hostName", e."label", e."pattern"
       FROM "ExpectedPackage" e LEFT JOIN "Host" h ON h."id" = e."hostId"
      WHERE e."hostId" = $1::int OR e."label" = ANY($2::text[]) OR (e."hostId" IS NULL AND e."label" IS NULL)`,
    [host.id, host.labels],
    { statementName: 'sockscope_expected_packages' },
  );
}

async function readPromiscuousRules(tx: SqlRunner): Promise<string[]> {
  const rows = await tx.query<{ pattern: string }>(`SELECT "pattern" FROM "PromiscuousRule"`, [], { statementName: 'sockscope_promiscuous_rules' });
  return rows.map((row) => row.pattern);
}
