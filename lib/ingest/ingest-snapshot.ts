// Stores one snapshot (or delta) all-or-nothing, in one transaction on the database driver:
//   1. lock the host and read its state (lib/ingest/host-state.ts); a known idempotency key is a replay;
//   2. work out the rows each section opens and closes (lib/ingest/section-changes.ts; 409 for a
//      delta whose base is not what this server holds);
//   3. write only those rows, in one statement (lib/ingest/write-rows.ts), and the traceroute runs;
//   4. diff by meaning and raise alerts from the changed rows (lib/ingest/evaluate-changes.ts);
//   5. store the snapshot's row, the host's digests and the host (lib/ingest/store-snapshot.ts).
// Unchanged rows cost nothing, so a snapshot costs what changed in it (docs/storage.md).
//
// Every row written carries `retainUntil`, the week partition it lives in: a snapshot's week is
// collectedAt + the retention of an unchanged or changed snapshot; a row that closes is kept as
// long as the longest-kept snapshot of its host (Host.rowsRetainUntil); open rows stay in `_open`.
import { getConfig } from '@/lib/config';
import { ensurePartitions, isMissingPartitionError } from '@/lib/db/partitions';
import type { SqlClient, SqlRunner } from '@/lib/db/sql-client';
import { evaluateChanges, type AnalysisResult } from '@/lib/ingest/evaluate-changes';
import { readLatestRunsBefore, insertTracerouteRuns } from '@/lib/history/traceroute-runs';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/errors';
import { firstSurvivingWeek, retainUntilFor, toDateText, type RetentionPolicy } from '@/lib/retention/retention-weeks';
import { rowHash, rowSections, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import { snapshotSections, type SnapshotSection } from '@/lib/schemas/snapshot';
import { lockHostState, type HostState } from './host-state';
import type { PreparedUpload } from './prepare-upload';
import { countOpenAlerts, recordAlerts } from '@/lib/alerts/record-alerts';
import { computeSectionChanges, hasRowChanges, type SectionChange } from './section-changes';
import { learnInterval, storeSnapshotRecord } from './store-snapshot';
import { writeRowChanges } from './write-rows';

export interface IngestResult {
  id: string;
  hostName: string;
  collectedAt: string;
  /** Per collected section: does it differ from the host's previous state? */
  changed: Partial<Record<SnapshotSection, boolean>>;
  /** True when this idempotency key was stored before: nothing new was written. */
  replayed: boolean;
  analysis: AnalysisResult | null;
  /** Listening sockets and promiscuous interfaces after it; null when it did not collect that section. */
  listenerCount: number | null;
  promiscuousCount: number | null;
}

export interface IngestOptions {
  /** Decides each row's week partition; SOCKSCOPE_RETENTION_* when not given. */
  retention?: RetentionPolicy;
  now?: Date;
}

/** The weeks this snapshot's rows go to, whether it turns out unchanged or changed. */
interface SnapshotWeeks {
  unchanged: string;
  changed: string;
  /** Where retention moves a host's latest snapshot this week (lib/retention/purge-snapshots.ts). */
  firstSurviving: string;
}

export async function ingestSnapshot(sql: SqlClient, host: AuthenticatedHost, upload: PreparedUpload, options: IngestOptions = {}): Promise<IngestResult> {
  if (upload.envelope.host.name !== host.name) {
    throw new AppError('forbidden', `This token belongs to host ${host.name}; it cannot post for ${upload.envelope.host.name}.`, [
      { path: 'host.name', message: 'does not match the token' },
    ]);
  }
  const retention = options.retention ?? getConfig().retention;
  const now = options.now ?? new Date();
  const collectedAt = new Date(upload.envelope.collectedAt);
  const weeks: SnapshotWeeks = {
    unchanged: toDateText(retainUntilFor(collectedAt, retention.unchangedDays, now)),
    changed: toDateText(retainUntilFor(collectedAt, retention.changedDays, now)),
    firstSurviving: toDateText(firstSurvivingWeek(now)),
  };
  try {
    return await storeOnce(sql, host, upload, weeks);
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent post with the same key (another server node) won the race: answer with what it stored.
      const replay = await findReplay(sql, host, upload.envelope.idempotencyKey);
      if (replay) return replay;
    }
    if (!isMissingPartitionError(error)) throw error;
    // A week no partition exists for yet (a snapshot collected long ago): create it, try once more.
    await ensurePartitions((statement) => sql.exec(statement), [new Date(weeks.unchanged), new Date(weeks.changed)]);
    return await storeOnce(sql, host, upload, weeks);
  }
}

function storeOnce(sql: SqlClient, host: AuthenticatedHost, upload: PreparedUpload, weeks: SnapshotWeeks): Promise<IngestResult> {
  return sql.transaction(async (tx) => {
    const state = await lockHostState(tx, host.id, upload.envelope.idempotencyKey);
    if (!state) throw new AppError('unauthorized', 'This host no longer exists.');
    if (state.replay) return replayResult(host, upload, state.replay);
    return storeNew(tx, host, upload, state, weeks);
  });
}

async function storeNew(tx: SqlRunner, host: AuthenticatedHost, upload: PreparedUpload, state: HostState, weeks: SnapshotWeeks): Promise<IngestResult> {
  const changes = await computeSectionChanges(tx, host.id, upload, state);
  const seq = state.lastSeq + 1;
  const isFirstSnapshot = state.lastSnapshotId === null;
  const traceroutes = upload.traceroutes;

  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of rowSections) {
    const change = changes[section] as SectionChange<unknown> | undefined;
    // A section seen for the first time counts as changed, whatever it holds.
    if (change) changed[section] = !change.wasKnown || hasRowChanges(change);
  }
  if (traceroutes) changed.traceroutes = traceroutes.length > 0;
  // Rows that close are kept as long as the longest-kept snapshot of their host (they were in it).
  const isChangeLikely = isFirstSnapshot || Object.values(changed).some(Boolean);
  const rowsRetainUntil = latestWeek(state.rowsRetainUntil, isChangeLikely ? weeks.changed : weeks.unchanged);

  const written = await writeRowChanges(tx, { hostId: host.id, seq, closedRowsWeek: rowsRetainUntil, changes });
  for (const section of rowSections) {
    // Rows stored before row hashes, replaced once by the same content, are no change.
    if (changes[section]?.closeUnhashed && isSameContent(section, written.closed[section] ?? [], changes[section].addedHashes)) changed[section] = false;
  }
  const sections = snapshotSections.filter((section) => changed[section] !== undefined);
  const changedSections = sections.filter((section) => changed[section]);
  const retainUntil = isFirstSnapshot || changedSections.length > 0 ? weeks.changed : weeks.unchanged;

  let runs: { current: typeof traceroutes & object; previous: Awaited<ReturnType<typeof readLatestRunsBefore>> } | null = null;
  if (traceroutes && traceroutes.length > 0) {
    runs = {
      current: traceroutes,
      previous: await readLatestRunsBefore(
        tx,
        host.id,
        seq,
        traceroutes.map((run) => run.target),
      ),
    };
    await insertTracerouteRuns(tx, host.id, seq, retainUntil, traceroutes);
  }
  const learningHours = getConfig().SOCKSCOPE_LEARNING_HOURS;
  const isLearning = state.firstSeenAtMs === null || Date.now() < state.firstSeenAtMs + learningHours * 3_600_000;
  const evaluation = await evaluateChanges(tx, { host, isFirstSnapshot, changes, written, traceroutes: runs, isLearning });

  const previousCollectedAt = state.previous ? new Date(state.previous.collectedAtMs) : null;
  const id = await storeSnapshotRecord(tx, {
    hostId: host.id,
    seq,
    envelope: upload.envelope,
    sections,
    changedSections,
    diffSummary: evaluation.diffSummary,
    retainUntil,
    rowsRetainUntil,
    firstSurvivingWeek: weeks.firstSurviving,
    hostSections: rowSections.flatMap((section) => {
      const change = changes[section] as SectionChange<unknown> | undefined;
      return change ? [{ section, digest: change.digest, rowCount: change.rowCount }] : [];
    }),
    state,
    intervalSeconds: previousCollectedAt ? learnInterval(state.intervalSeconds, previousCollectedAt, new Date(upload.envelope.collectedAt)) : null,
    listenerCount: evaluation.listenerCount,
    promiscuousCount: evaluation.promiscuousCount,
    openAlertCount: evaluation.candidates.length > 0 ? null : state.openAlertCount,
  });
  // Alerts point at the snapshot, so they are recorded once it exists.
  const alerts = await recordAlerts(tx, host, evaluation.candidates, id);
  let openAlertCount = state.openAlertCount;
  if (alerts.length > 0) {
    openAlertCount = await countOpenAlerts(tx, host.id);
    await tx.query(`UPDATE "Host" SET "openAlertCount" = $2::int WHERE "id" = $1::int`, [host.id, openAlertCount]);
  }
  return {
    id,
    hostName: host.name,
    collectedAt: upload.envelope.collectedAt,
    changed,
    replayed: false,
    analysis: { diffSummary: evaluation.diffSummary, alerts, openAlertCount },
    listenerCount: changes.sockets ? (evaluation.listenerCount ?? state.listenerCount) : null,
    promiscuousCount: changes.interfaces ? (evaluation.promiscuousCount ?? state.promiscuousCount) : null,
  };
}

const latestWeek = (known: string | null, candidate: string) => (known !== null && known > candidate ? known : candidate);

function isSameContent<S extends RowSection>(section: S, closed: readonly RowOf[S][], addedHashes: readonly string[]): boolean {
  if (closed.length !== addedHashes.length) return false;
  const closedHashes = closed.map((row) => rowHash(section, row)).sort();
  const sortedAdded = [...addedHashes].sort();
  return closedHashes.every((hash, index) => hash === sortedAdded[index]);
}

function replayResult(host: AuthenticatedHost, upload: PreparedUpload, replay: NonNullable<HostState['replay']>): IngestResult {
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of replay.sections) changed[section] = replay.changedSections.includes(section);
  return {
    id: replay.id,
    hostName: host.name,
    collectedAt: upload.envelope.collectedAt,
    changed,
    replayed: true,
    analysis: null,
    listenerCount: null,
    promiscuousCount: null,
  };
}

async function findReplay(sql: SqlClient, host: AuthenticatedHost, idempotencyKey: string): Promise<IngestResult | null> {
  const [existing] = await sql.query<{ id: string; collectedAt: string; sections: SnapshotSection[]; changedSections: SnapshotSection[] }>(
    `SELECT "id"::text AS "id", to_char("collectedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "collectedAt",
            "sections"::text[] AS "sections", "changedSections"::text[] AS "changedSections"
       FROM "Snapshot" WHERE "hostId" = $1::int AND "idempotencyKey" = $2::text LIMIT 1`,
    [host.id, idempotencyKey],
  );
  if (!existing) return null;
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of existing.sections) changed[section] = existing.changedSections.includes(section);
  return {
    id: existing.id,
    hostName: host.name,
    collectedAt: existing.collectedAt,
    changed,
    replayed: true,
    analysis: null,
    listenerCount: null,
    promiscuousCount: null,
  };
}

/** PostgreSQL's 23505, from either driver. */
function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === '23505' || candidate?.cause?.code === '23505';
}
