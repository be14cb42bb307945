// Stores one snapshot all-or-nothing: section sets (new rows only for changed content), the
// snapshot row, the analysis (diff + alerts) and the host's summary, in one transaction.
//
// Performance (bench/README.md): 95% of snapshots repeat the previous one. Hashing runs first, then
// that case is two statements straight on the database driver (Prisma costs more CPU per statement
// than the database does): one read (replay? previous snapshot and its section hashes) and one
// write that inserts the snapshot and moves the host on only if the host's previous snapshot is
// still the one read (compare-and-set, so no explicit transaction or lock is needed). Anything
// else — a change, a first snapshot, a concurrent ingest of the same host — takes the full path:
// one Prisma transaction with the host locked, section rows, diff, alerts.
//
// Every row written carries `retainUntil`, the week partition it lives in (lib/retention/retention-weeks.ts):
// collectedAt + the retention of an unchanged or a changed snapshot. A new section set and its rows
// take the week of the snapshot that creates it; a changed snapshot also keeps its previous one as
// long as itself (its diff needs it), so retention never has to look for previous snapshots.
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { emptySummary, evaluateSnapshot, type AnalysisResult } from '@/lib/analysis/analyze-snapshot';
import { countOpenAlerts, recordAlerts } from '@/lib/analysis/record-alerts';
import { readRetentionPolicy } from '@/lib/config';
import { serverSqlClient } from '@/lib/db/client';
import { ensurePartitions, isMissingPartitionError } from '@/lib/db/partitions';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError } from '@/lib/http/errors';
import { firstSurvivingWeek, retainUntilFor, toDateText, type RetentionPolicy } from '@/lib/retention/retention-weeks';
import { isListening, snapshotSections, type Snapshot, type SnapshotSection } from '@/lib/schemas/snapshot';
import { sectionHashes, sectionOwner } from '@/lib/snapshots/section-hash';
import { insertTracerouteRows, storeSectionSets, type NewSections } from '@/lib/snapshots/section-rows';
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

type SectionHashes = Partial<Record<SnapshotSection, string>>;

/**
 * One statement with $n parameters; the same SQL runs on Prisma and on the bare driver. A named
 * statement is planned once per connection on the driver (planning grows with the partitions).
 */
type Query = <Row>(text: string, params: readonly unknown[], statementName?: string) => Promise<Row[]>;

export interface IngestOptions {
  /** Decides each row's week partition; SOCKSCOPE_RETENTION_* when not given. */
  retention?: RetentionPolicy;
  now?: Date;
}

/** The weeks this snapshot's rows go to, whether it turns out unchanged or changed. */
interface SnapshotWeeks {
  unchanged: Date;
  changed: Date;
  /** Where retention moves a host's latest snapshot this week (lib/retention/purge-snapshots.ts). */
  firstSurviving: Date;
}

let environmentRetention: RetentionPolicy | null = null;

export async function ingestSnapshot(prisma: PrismaClient, host: AuthenticatedHost, snapshot: Snapshot, options: IngestOptions = {}): Promise<IngestResult> {
  if (snapshot.host.name !== host.name) {
    throw new AppError('forbidden', `This token belongs to host ${host.name}; it cannot post for ${snapshot.host.name}.`, [
      { path: 'host.name', message: 'does not match the token' },
    ]);
  }
  // CPU work before the transaction: the host's row stays locked only for database work.
  const hashes: SectionHashes = {};
  for (const section of snapshotSections) {
    const rows = snapshot[section];
    if (rows) hashes[section] = sectionHashes.hash(sectionOwner(host.id, section), rows);
  }
  const retention = options.retention ?? (environmentRetention ??= readRetentionPolicy());
  const now = options.now ?? new Date();
  const collectedAt = new Date(snapshot.collectedAt);
  const weeks: SnapshotWeeks = {
    unchanged: retainUntilFor(collectedAt, retention.unchangedDays, now),
    changed: retainUntilFor(collectedAt, retention.changedDays, now),
    firstSurviving: firstSurvivingWeek(now),
  };
  try {
    return await storeOnce(prisma, host, snapshot, hashes, weeks);
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    // A week no partition exists for yet (a snapshot collected long ago): create it, try once more.
    await ensurePartitions((statement) => prisma.$executeRawUnsafe(statement), [weeks.unchanged, weeks.changed]);
    return await storeOnce(prisma, host, snapshot, hashes, weeks);
  }
}

async function storeOnce(prisma: PrismaClient, host: AuthenticatedHost, snapshot: Snapshot, hashes: SectionHashes, weeks: SnapshotWeeks): Promise<IngestResult> {
  try {
    const sql = await serverSqlClient(prisma);
    if (sql) {
      const query: Query = (text, params, statementName) => sql.query(text, [...params], statementName === undefined ? {} : { statementName });
      const stored = await storeIfUnchanged(query, host, snapshot, hashes, weeks.unchanged);
      if (stored) return stored;
    }
    return await prisma.$transaction((tx) => storeSnapshot(tx, host, snapshot, hashes, weeks), { maxWait: 10_000, timeout: 60_000 });
  } catch (error) {
    // A concurrent retry with the same key won the race: answer with what it stored.
    if (isUniqueViolation(error)) {
      const replay = await findReplay(prisma, host, snapshot.idempotencyKey);
      if (replay) return replay;
    }
    throw error;
  }
}

/** The fast path: a replay, or a snapshot whose every section repeats the previous one; null for the full path. */
async function storeIfUnchanged(query: Query, host: AuthenticatedHost, snapshot: Snapshot, hashes: SectionHashes, retainUntil: Date): Promise<IngestResult | null> {
  const [state] = await query<IngestState & LockedHost>(
    `SELECT h."lastSnapshotId"::text AS "lastSnapshotId", h."intervalSeconds", ${stateColumns}
       FROM "Host" h
       ${stateJoins('h."lastSnapshotId"')}
      WHERE h."id" = $1::int`,
    [host.id, snapshot.idempotencyKey],
    'sockscope_ingest_state',
  );
  if (!state) return null;
  if (state.replayId !== null) return replayResult(host, state);
  const previous = previousOf(state);
  if (!previous || state.previousCollectedAtMs === null) return null;
  const setIds: SectionSetIds = { socketsSetId: null, processesSetId: null, interfacesSetId: null, traceroutesSetId: null };
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of snapshotSections) {
    const hash = hashes[section];
    if (hash === undefined) continue;
    const previousSetId = previous[setIdField[section]];
    if (previousSetId === null || state[hashField[section]] !== hash) return null;
    setIds[setIdField[section]] = previousSetId;
    changed[section] = false;
  }
  const intervalSeconds = learnInterval(state.intervalSeconds, new Date(state.previousCollectedAtMs), new Date(snapshot.collectedAt));
  // One statement, atomic on its own: the host moves on to the new snapshot only if its previous
  // snapshot and interval are still those read above; otherwise nothing is written.
  const [stored] = await query<{ id: string; openAlertCount: number }>(
    `WITH next AS (
       SELECT nextval(pg_get_serial_sequence('"Snapshot"', 'id')) AS "id"
     ), host AS (
       UPDATE "Host" SET
         "os" = COALESCE($4::text, "os"),
         "kernel" = COALESCE($5::text, "kernel"),
         "lastSeenAt" = $6::timestamp(3),
         "lastSnapshotId" = (SELECT "id" FROM next),
         "silentAlertedAt" = NULL,
         "intervalSeconds" = $7::int,
         "listenerCount" = COALESCE($8::int, "listenerCount"),
         "promiscuousCount" = COALESCE($9::int, "promiscuousCount"),
         "openAlertCount" = (SELECT count(*)::int FROM "Alert" a WHERE a."hostId" = $1::int AND a."state" = 'open')
       WHERE "id" = $1::int AND "lastSnapshotId" = $2::bigint AND "intervalSeconds" = $3::int
       RETURNING "openAlertCount"
     ), stored AS (
       INSERT INTO "Snapshot" ("id", "hostId", "collectedAt", "idempotencyKey", "collectorVersion", "run", "changedSections", "diffSummary",
                               "socketsSetId", "processesSetId", "interfacesSetId", "traceroutesSetId", "retainUntil")
       SELECT (SELECT "id" FROM next), $1::int, $10::timestamp(3), $11::text, $12::text, $13::jsonb, '{}'::"Section"[], $14::jsonb,
              $15::bigint, $16::bigint, $17::bigint, $18::bigint, $19::date
         FROM host
       RETURNING "id"
     )
     SELECT stored."id"::text AS "id", host."openAlertCount" FROM stored, host`,
    [
      host.id,
      state.previousId,
      state.intervalSeconds,
      snapshot.host.os ?? null,
      snapshot.host.kernel ?? null,
      utcTimestamp(new Date()),
      intervalSeconds,
      snapshot.sockets ? snapshot.sockets.filter(isListening).length : null,
      snapshot.interfaces ? snapshot.interfaces.filter((row) => row.promiscuous).length : null,
      utcTimestamp(new Date(snapshot.collectedAt)),
      snapshot.idempotencyKey,
      snapshot.collectorVersion ?? null,
      jsonOrNull(snapshot.run),
      storedDiffSummary([], emptySummary),
      setIds.socketsSetId?.toString() ?? null,
      setIds.processesSetId?.toString() ?? null,
      setIds.interfacesSetId?.toString() ?? null,
      setIds.traceroutesSetId?.toString() ?? null,
      toDateText(retainUntil),
    ],
    'sockscope_ingest_unchanged',
  );
  if (!stored) return null;
  const analysis: AnalysisResult = { diffSummary: emptySummary, alerts: [], openAlertCount: stored.openAlertCount };
  return { id: stored.id, hostName: host.name, changed, replayed: false, analysis };
}

/** The full path: any snapshot, through Prisma (section rows, diff, alerts). */
async function storeSnapshot(tx: Tx, host: AuthenticatedHost, snapshot: Snapshot, hashes: SectionHashes, weeks: SnapshotWeeks): Promise<IngestResult> {
  const query: Query = (text, params) => tx.$queryRawUnsafe(text, ...params);
  const { locked, state } = await lockAndReadState(query, host, snapshot.idempotencyKey);
  if (state.replayId !== null) return replayResult(host, state);

  const previous = previousOf(state);
  const setIds: SectionSetIds = { socketsSetId: null, processesSetId: null, interfacesSetId: null, traceroutesSetId: null };
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  const newSections: NewSections = {};
  let newTraceroutes: { hash: string; rows: NonNullable<Snapshot['traceroutes']> } | null = null;
  for (const section of snapshotSections) {
    const rows = snapshot[section];
    const hash = hashes[section];
    if (!rows || hash === undefined) continue;
    const previousSetId = previous?.[setIdField[section]] ?? null;
    // Same content as the previous snapshot: its set is the one (hostId, section, hash) would find.
    changed[section] = previousSetId === null || state[hashField[section]] !== hash;
    if (!changed[section]) setIds[setIdField[section]] = previousSetId;
    else if (section === 'traceroutes') newTraceroutes = { hash, rows: rows as NonNullable<Snapshot['traceroutes']> };
    else Object.assign(newSections, { [section]: { hash, rows } });
  }
  const changedSections = (Object.keys(changed) as SnapshotSection[]).filter((section) => changed[section]);
  // A host's first snapshot counts as changed, whatever it holds.
  const retainUntil = previous === null || changedSections.length > 0 ? weeks.changed : weeks.unchanged;

  // Changed tabular sections in one statement; traceroutes (nested, rare) after them, as before.
  const stored = await storeSectionSets(tx, host.id, newSections, retainUntil);
  for (const section of ['sockets', 'processes', 'interfaces'] as const) {
    const setId = stored[section];
    if (setId !== undefined) setIds[setIdField[section]] = setId;
  }
  if (newTraceroutes) setIds.traceroutesSetId = await findOrCreateSectionSet(tx, host.id, 'traceroutes', newTraceroutes.hash, newTraceroutes.rows, retainUntil);

  const evaluation = await evaluateSnapshot(tx, { host, snapshot, previous, current: setIds, changedSections });
  const previousToKeep =
    changedSections.length > 0 && previous && state.previousRetainUntil !== null
      ? { id: previous.id, week: state.previousRetainUntil, firstSurvivingWeek: toDateText(weeks.firstSurviving) }
      : null;
  // The diff summary goes into the row itself: no second write of the row.
  const id = await insertSnapshotRow(query, host, snapshot, { setIds, changedSections, diffSummary: evaluation.diffSummary, retainUntil, previousToKeep });
  // Alerts point at the snapshot, so they are recorded once it exists.
  const alerts = evaluation.candidates.length > 0 ? await recordAlerts(tx, host, evaluation.candidates, id) : [];
  const openAlertCount = alerts.length > 0 ? await countOpenAlerts(tx, host.id) : state.openAlertCount;
  await updateHost(query, host, snapshot, { locked, state, previous, snapshotId: id, openAlertCount });
  return { id: id.toString(), hostName: host.name, changed, replayed: false, analysis: { diffSummary: evaluation.diffSummary, alerts, openAlertCount } };
}

// Ids travel as text and times as epoch milliseconds: the drivers disagree on int8 and timestamp types.
interface LockedHost {
  lastSnapshotId: string | null;
  intervalSeconds: number;
}

/** What one read after the lock tells: an earlier snapshot with this key, the previous snapshot, open alerts. */
interface IngestState {
  replayId: string | null;
  replayChangedSections: string[] | null;
  replaySocketsSetId: string | null;
  replayProcessesSetId: string | null;
  replayInterfacesSetId: string | null;
  replayTraceroutesSetId: string | null;
  previousId: string | null;
  previousCollectedAtMs: number | null;
  /** The previous snapshot's week, YYYY-MM-DD. */
  previousRetainUntil: string | null;
  socketsSetId: string | null;
  processesSetId: string | null;
  interfacesSetId: string | null;
  traceroutesSetId: string | null;
  socketsHash: string | null;
  processesHash: string | null;
  interfacesHash: string | null;
  traceroutesHash: string | null;
  openAlertCount: number;
}

const hashField = {
  sockets: 'socketsHash',
  processes: 'processesHash',
  interfaces: 'interfacesHash',
  traceroutes: 'traceroutesHash',
} as const satisfies Record<SnapshotSection, keyof IngestState>;

// $1 host id, $2 idempotency key: an earlier snapshot with this key (r), the previous snapshot (p) and its sets' hashes.
// r searches every week partition (the key's week is not known): no key is stored twice for a host,
// because every write first takes the host's row (the lock, or the fast path's compare-and-set).
const stateColumns = `
  r."id"::text AS "replayId", r."changedSections"::text[] AS "replayChangedSections",
  r."socketsSetId"::text AS "replaySocketsSetId", r."processesSetId"::text AS "replayProcessesSetId",
  r."interfacesSetId"::text AS "replayInterfacesSetId", r."traceroutesSetId"::text AS "replayTraceroutesSetId",
  p."id"::text AS "previousId", (extract(epoch FROM p."collectedAt") * 1000)::float8 AS "previousCollectedAtMs", p."retainUntil"::text AS "previousRetainUntil",
  p."socketsSetId"::text AS "socketsSetId", p."processesSetId"::text AS "processesSetId",
  p."interfacesSetId"::text AS "interfacesSetId", p."traceroutesSetId"::text AS "traceroutesSetId",
  sockets."hash" AS "socketsHash", processes."hash" AS "processesHash",
  interfaces."hash" AS "interfacesHash", traceroutes."hash" AS "traceroutesHash",
  (SELECT count(*)::int FROM "Alert" a WHERE a."hostId" = $1::int AND a."state" = 'open') AS "openAlertCount"`;

const stateJoins = (previousId: string) => `
  LEFT JOIN "Snapshot" r ON r."hostId" = $1::int AND r."idempotencyKey" = $2::text
  LEFT JOIN "Snapshot" p ON p."id" = ${previousId}
  LEFT JOIN "SectionSet" sockets ON sockets."id" = p."socketsSetId"
  LEFT JOIN "SectionSet" processes ON processes."id" = p."processesSetId"
  LEFT JOIN "SectionSet" interfaces ON interfaces."id" = p."interfacesSetId"
  LEFT JOIN "SectionSet" traceroutes ON traceroutes."id" = p."traceroutesSetId"`;

async function lockAndReadState(query: Query, host: AuthenticatedHost, idempotencyKey: string): Promise<{ locked: LockedHost | null; state: IngestState }> {
  // Serialise ingests of one host, so "previous snapshot" is well defined.
  const [locked] = await query<LockedHost>(`SELECT "lastSnapshotId"::text AS "lastSnapshotId", "intervalSeconds" FROM "Host" WHERE "id" = $1::int FOR UPDATE`, [host.id]);
  // A separate statement after the lock, so it sees what a concurrent ingest of this host committed.
  const [state] = await query<IngestState>(`SELECT ${stateColumns} FROM (SELECT 1) AS one ${stateJoins('$3::bigint')}`, [host.id, idempotencyKey, locked?.lastSnapshotId ?? null]);
  if (!state) throw new Error('the ingest state query returned no row');
  return { locked: locked ?? null, state };
}

const toId = (value: string | null) => (value === null ? null : BigInt(value));

function previousOf(state: IngestState): (SectionSetIds & { id: bigint }) | null {
  if (state.previousId === null) return null;
  return {
    id: BigInt(state.previousId),
    socketsSetId: toId(state.socketsSetId),
    processesSetId: toId(state.processesSetId),
    interfacesSetId: toId(state.interfacesSetId),
    traceroutesSetId: toId(state.traceroutesSetId),
  };
}

interface SnapshotRow {
  setIds: SectionSetIds;
  changedSections: SnapshotSection[];
  diffSummary: unknown;
  retainUntil: Date;
  /**
   * The previous snapshot of a changed one: moved to the same week, so it is kept as long. It is in
   * the week it was read in, or, if retention moved it meanwhile (a host's latest), the first surviving one.
   */
  previousToKeep: { id: bigint; week: string; firstSurvivingWeek: string } | null;
}

async function insertSnapshotRow(query: Query, host: AuthenticatedHost, snapshot: Snapshot, row: SnapshotRow): Promise<bigint> {
  const [stored] = await query<{ id: string }>(
    `WITH kept_previous AS (
       UPDATE "Snapshot" SET "retainUntil" = $12::date
        WHERE "id" = $13::bigint AND "retainUntil" IN ($14::date, $15::date) AND "retainUntil" < $12::date
     )
     INSERT INTO "Snapshot" ("hostId", "collectedAt", "idempotencyKey", "collectorVersion", "run", "changedSections", "diffSummary",
                             "socketsSetId", "processesSetId", "interfacesSetId", "traceroutesSetId", "retainUntil")
     VALUES ($1::int, $2::timestamp(3), $3::text, $4::text, $5::jsonb, string_to_array($6::text, ',')::"Section"[], $7::jsonb,
             $8::bigint, $9::bigint, $10::bigint, $11::bigint, $12::date)
     RETURNING "id"::text AS "id"`,
    [
      host.id,
      utcTimestamp(new Date(snapshot.collectedAt)),
      snapshot.idempotencyKey,
      snapshot.collectorVersion ?? null,
      jsonOrNull(snapshot.run),
      row.changedSections.join(','),
      storedDiffSummary(row.changedSections, row.diffSummary),
      row.setIds.socketsSetId?.toString() ?? null,
      row.setIds.processesSetId?.toString() ?? null,
      row.setIds.interfacesSetId?.toString() ?? null,
      row.setIds.traceroutesSetId?.toString() ?? null,
      toDateText(row.retainUntil),
      row.previousToKeep?.id.toString() ?? null,
      row.previousToKeep?.week ?? null,
      row.previousToKeep?.firstSurvivingWeek ?? null,
    ],
  );
  if (!stored) throw new Error('the snapshot insert returned no row');
  return BigInt(stored.id);
}

interface HostUpdate {
  locked: LockedHost | null;
  state: IngestState;
  previous: (SectionSetIds & { id: bigint }) | null;
  snapshotId: bigint;
  openAlertCount: number;
}

async function updateHost(query: Query, host: AuthenticatedHost, snapshot: Snapshot, update: HostUpdate): Promise<void> {
  const collectedAt = new Date(snapshot.collectedAt);
  const intervalSeconds =
    update.previous && update.state.previousCollectedAtMs !== null
      ? learnInterval(update.locked?.intervalSeconds ?? 60, new Date(update.state.previousCollectedAtMs), collectedAt)
      : null;
  // NULL keeps a column as it is, which is what `undefined` meant in a Prisma update.
  await query(
    `UPDATE "Host" SET
       "os" = COALESCE($2::text, "os"),
       "kernel" = COALESCE($3::text, "kernel"),
       "firstSeenAt" = CASE WHEN $4::boolean THEN "firstSeenAt" ELSE $5::timestamp(3) END,
       "lastSeenAt" = $5::timestamp(3),
       "lastSnapshotId" = $6::bigint,
       "silentAlertedAt" = NULL,
       "intervalSeconds" = COALESCE($7::int, "intervalSeconds"),
       "listenerCount" = COALESCE($8::int, "listenerCount"),
       "promiscuousCount" = COALESCE($9::int, "promiscuousCount"),
       "openAlertCount" = $10::int
     WHERE "id" = $1::int`,
    [
      host.id,
      snapshot.host.os ?? null,
      snapshot.host.kernel ?? null,
      update.previous !== null,
      utcTimestamp(new Date()),
      update.snapshotId.toString(),
      intervalSeconds,
      snapshot.sockets ? snapshot.sockets.filter(isListening).length : null,
      snapshot.interfaces ? snapshot.interfaces.filter((row) => row.promiscuous).length : null,
      update.openAlertCount,
    ],
  );
}

/** UTC wall-clock text for timestamp(3) columns, which hold UTC (as Prisma writes them), whatever the session time zone. */
function utcTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * An unchanged snapshot's summary is all zeros: stored as NULL, which saves most of its row
 * (lib/snapshots/list-snapshots.ts reads it back as all zeros).
 */
function storedDiffSummary(changedSections: readonly SnapshotSection[], diffSummary: unknown): string | null {
  return changedSections.length === 0 ? null : jsonOrNull(diffSummary);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Traceroutes (nested rows, rare): their existing set or a new one, rows through Prisma. */
async function findOrCreateSectionSet(tx: Tx, hostId: number, section: SnapshotSection, hash: string, rows: readonly unknown[], retainUntil: Date): Promise<bigint> {
  const [set] = await tx.$queryRaw<{ id: bigint; created: boolean }[]>`
    WITH existing AS (
      SELECT "id" FROM "SectionSet" WHERE "hostId" = ${hostId} AND "section" = ${section}::"Section" AND "hash" = ${hash}
    ), created AS (
      INSERT INTO "SectionSet" ("hostId", "section", "hash", "rowCount", "retainUntil")
      SELECT ${hostId}, ${section}::"Section", ${hash}, ${rows.length}, ${toDateText(retainUntil)}::date WHERE NOT EXISTS (SELECT 1 FROM existing)
      RETURNING "id"
    )
    SELECT "id", true AS "created" FROM created UNION ALL SELECT "id", false FROM existing`;
  if (!set) throw new Error('the section set upsert returned no row');
  if (set.created) await insertTracerouteRows(tx, set.id, retainUntil, rows as Snapshot['traceroutes'] & object);
  return set.id;
}

function replayResult(host: AuthenticatedHost, state: IngestState): IngestResult {
  const replaySetIds: Record<SnapshotSection, string | null> = {
    sockets: state.replaySocketsSetId,
    processes: state.replayProcessesSetId,
    interfaces: state.replayInterfacesSetId,
    traceroutes: state.replayTraceroutesSetId,
  };
  const changedSections = state.replayChangedSections ?? [];
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of snapshotSections) {
    if (replaySetIds[section] !== null) changed[section] = changedSections.includes(section);
  }
  return { id: state.replayId as string, hostName: host.name, changed, replayed: true, analysis: null };
}

async function findReplay(db: Tx | PrismaClient, host: AuthenticatedHost, idempotencyKey: string): Promise<IngestResult | null> {
  const existing = await db.snapshot.findFirst({
    where: { hostId: host.id, idempotencyKey },
    select: { id: true, changedSections: true, socketsSetId: true, processesSetId: true, interfacesSetId: true, traceroutesSetId: true },
  });
  if (!existing) return null;
  const changed: Partial<Record<SnapshotSection, boolean>> = {};
  for (const section of snapshotSections) {
    if (existing[setIdField[section]] !== null) changed[section] = existing.changedSections.includes(section);
  }
  return { id: existing.id.toString(), hostName: host.name, changed, replayed: true, analysis: null };
}

/** Prisma's P2002, or PostgreSQL's 23505 from the driver (fast path) or wrapped by Prisma. */
function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === 'P2002' || candidate?.code === '23505' || candidate?.cause?.code === '23505';
}

/** The collector's interval, learnt from the gaps between its snapshots (smoothed, so one late run does not move it much). */
export function learnInterval(current: number, previousCollectedAt: Date, collectedAt: Date): number {
  const gapSeconds = (collectedAt.getTime() - previousCollectedAt.getTime()) / 1000;
  if (!(gapSeconds >= 1 && gapSeconds <= 86_400)) return current;
  return Math.max(1, Math.round(current * 0.7 + gapSeconds * 0.3));
}
