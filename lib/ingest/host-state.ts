// The first statements of an ingest, inside its transaction: lock the host's row (ingests of one
// host take turns, so "previous snapshot" and "current rows" are well defined; NO KEY UPDATE, so
// the foreign-key checks of retention moving that host's rows do not wait for it), then read what
// the rest needs — an earlier snapshot with this idempotency key, the previous snapshot, and the
// digest of the host's current rows per section.
import type { SqlRunner } from '@/lib/db/sql-client';
import type { SnapshotSection } from '@/lib/schemas/snapshot';

interface SectionState {
  /** null: not known (migrated data); the next whole section replaces the rows. */
  digest: string | null;
  rowCount: number;
}

/** Ids travel as text and times as epoch milliseconds: the two drivers disagree on int8 and timestamp types. */
export interface HostState {
  lastSnapshotId: string | null;
  /** When its first snapshot was stored; null before it. */
  firstSeenAtMs: number | null;
  lastSeq: number;
  intervalSeconds: number;
  /** YYYY-MM-DD, or null before the host's first snapshot. */
  rowsRetainUntil: string | null;
  listenerCount: number;
  promiscuousCount: number;
  openAlertCount: number;
  replay: { id: string; sections: SnapshotSection[]; changedSections: SnapshotSection[] } | null;
  previous: { id: string; collectedAtMs: number; retainUntil: string } | null;
  sections: Partial<Record<SnapshotSection, SectionState>>;
}

/** The host's own row, as the lock reads it. */
type LockedRow = Pick<HostState, 'lastSnapshotId' | 'firstSeenAtMs' | 'lastSeq' | 'intervalSeconds' | 'rowsRetainUntil' | 'listenerCount' | 'promiscuousCount'>;

interface StateRow {
  replayId: string | null;
  replaySections: SnapshotSection[] | null;
  replayChanged: SnapshotSection[] | null;
  previousCollectedAtMs: number | null;
  previousRetainUntil: string | null;
  sections: string | null;
  openAlertCount: number;
}

/** Locks the host and reads its state; null when the host is gone (deleted meanwhile). */
export async function lockHostState(tx: SqlRunner, hostId: number, idempotencyKey: string): Promise<HostState | null> {
  const [locked] = await tx.query<LockedRow>(
    `SELECT "lastSnapshotId"::text AS "lastSnapshotId", (extract(epoch FROM "firstSeenAt") * 1000)::float8 AS "firstSeenAtMs", "lastSeq", "intervalSeconds", "rowsRetainUntil"::text AS "rowsRetainUntil",
            "listenerCount", "promiscuousCount"
       FROM "Host" WHERE "id" = $1::int FOR NO KEY UPDATE`,
    [hostId],
    { statementName: 'sockscope_ingest_lock' },
  );
  if (!locked) return null;
  // A separate statement after the lock, so it sees what a concurrent ingest of this host committed.
  // The replay search looks in every week (the key's week is not known); no key is stored twice for
  // a host, because every write first takes the host's lock.
  const [state] = await tx.query<StateRow>(
    `SELECT r."id"::text AS "replayId", r."sections"::text[] AS "replaySections", r."changedSections"::text[] AS "replayChanged",
            (extract(epoch FROM p."collectedAt") * 1000)::float8 AS "previousCollectedAtMs", p."retainUntil"::text AS "previousRetainUntil",
            (SELECT json_agg(json_build_object('section', s."section", 'digest', s."digest", 'rowCount', s."rowCount"))
               FROM "HostSection" s WHERE s."hostId" = $1::int)::text AS "sections",
            (SELECT count(*)::int FROM "Alert" a WHERE a."hostId" = $1::int AND a."state" = 'open') AS "openAlertCount"
       FROM (SELECT 1) AS one
       LEFT JOIN "Snapshot" r ON r."hostId" = $1::int AND r."idempotencyKey" = $2::text
       LEFT JOIN "Snapshot" p ON p."hostId" = $1::int AND p."id" = $3::bigint`,
    [hostId, idempotencyKey, locked.lastSnapshotId],
    { statementName: 'sockscope_ingest_state' },
  );
  if (!state) throw new Error('the ingest state query returned no row');
  const sections: HostState['sections'] = {};
  for (const entry of JSON.parse(state.sections ?? '[]') as { section: SnapshotSection; digest: string | null; rowCount: number }[]) {
    sections[entry.section] = { digest: entry.digest, rowCount: entry.rowCount };
  }
  return {
    ...locked,
    openAlertCount: state.openAlertCount,
    replay: state.replayId === null ? null : { id: state.replayId, sections: state.replaySections ?? [], changedSections: state.replayChanged ?? [] },
    previous:
      locked.lastSnapshotId === null || state.previousCollectedAtMs === null || state.previousRetainUntil === null
        ? null
        : { id: locked.lastSnapshotId, collectedAtMs: state.previousCollectedAtMs, retainUntil: state.previousRetainUntil },
    sections,
  };
}
