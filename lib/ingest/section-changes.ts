// Turns each row section of an upload into the rows it opens and closes against the host's current
// rows. A section sent whole is compared by row hash with the open rows (unless its digest shows it
// unchanged: then nothing is read); a section sent as changes is checked against the state it was
// made for — the host's latest snapshot as `base`, digests that add up — or refused with 409, after
// which the collector sends the snapshot whole.
import { OPEN_ROWS } from '@/lib/db/partitions';
import type { SqlRunner } from '@/lib/db/sql-client';
import { tableOf } from '@/lib/history/row-tables';
import { AppError } from '@/lib/errors';
import { diffRowMultisets, moveDigest, rowSections, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import type { HostState } from './host-state';
import type { PreparedSection, PreparedUpload } from './prepare-upload';

export interface SectionChange<Row> {
  added: Row[];
  addedHashes: string[];
  /** Hashes of the open rows to close, one per row. */
  removed: string[];
  /** Close the open rows whose hash is not known (rows from before row hashes, migrated data). */
  closeUnhashed: boolean;
  digest: string;
  rowCount: number;
  /** The host had this section before (otherwise nothing can be compared: a first look). */
  wasKnown: boolean;
}

export type SectionChanges = { [S in RowSection]?: SectionChange<RowOf[S]> };

export const hasRowChanges = (change: SectionChange<unknown>) => change.added.length > 0 || change.removed.length > 0 || change.closeUnhashed;

export function conflict(message: string, path: string): AppError {
  return new AppError('conflict', `${message} Send the snapshot whole.`, [{ path, message }]);
}

export async function computeSectionChanges(tx: SqlRunner, hostId: number, upload: PreparedUpload, state: HostState): Promise<SectionChanges> {
  if (upload.base !== undefined && upload.base !== state.lastSnapshotId) {
    throw conflict(`The changes were made against snapshot ${upload.base}, but this host's latest snapshot is ${state.lastSnapshotId ?? 'none'}.`, 'base');
  }
  const changes: SectionChanges = {};
  for (const section of rowSections) {
    const prepared = upload.sections[section];
    if (prepared)
      (changes as Record<RowSection, SectionChange<unknown>>)[section] = await changeOf(tx, hostId, section, prepared as PreparedSection<unknown>, state);
  }
  return changes;
}

async function changeOf<Row>(
  tx: SqlRunner,
  hostId: number,
  section: RowSection,
  prepared: PreparedSection<Row>,
  state: HostState,
): Promise<SectionChange<Row>> {
  const known = state.sections[section];
  const wasKnown = known !== undefined;
  if (prepared.kind === 'changes') {
    if (!known || known.digest === null) throw conflict(`This server holds no known state of ${section} for the host.`, section);
    const expected = moveDigest(known.digest, prepared.addedHashes, prepared.removed);
    if (expected !== prepared.digest) throw conflict(`The ${section} changes do not lead to the digest sent: the base state differs.`, `${section}.digest`);
    return {
      added: prepared.added,
      addedHashes: prepared.addedHashes,
      removed: prepared.removed,
      closeUnhashed: false,
      digest: prepared.digest,
      rowCount: known.rowCount + prepared.added.length - prepared.removed.length,
      wasKnown,
    };
  }
  const unchanged = { added: [], addedHashes: [], removed: [], closeUnhashed: false, digest: prepared.digest, rowCount: prepared.rows.length, wasKnown };
  // The common case: the same rows as now, shown by the digest alone.
  if (known?.digest === prepared.digest) return unchanged;
  const open = wasKnown ? await readOpenHashes(tx, hostId, section) : { hashes: [], unhashed: 0 };
  const diff = diffRowMultisets(open.hashes, prepared.rows, prepared.hashes);
  return {
    added: diff.added,
    addedHashes: diff.addedIndexes.map((index) => prepared.hashes[index] as string),
    removed: diff.removed,
    closeUnhashed: open.unhashed > 0,
    digest: prepared.digest,
    rowCount: prepared.rows.length,
    wasKnown,
  };
}

async function readOpenHashes(tx: SqlRunner, hostId: number, section: RowSection): Promise<{ hashes: string[]; unhashed: number }> {
  const [result] = await tx.query<{ hashes: string[] | null; unhashed: number }>(
    `SELECT array_agg(r."rowHash"::text) FILTER (WHERE r."rowHash" IS NOT NULL) AS "hashes",
            count(*) FILTER (WHERE r."rowHash" IS NULL)::int AS "unhashed"
       FROM "${tableOf(section)}" r WHERE r."hostId" = $1::int AND r."retainUntil" = '${OPEN_ROWS}'::date`,
    [hostId],
    { statementName: `sockscope_open_hashes_${section}` },
  );
  return { hashes: result?.hashes ?? [], unhashed: result?.unhashed ?? 0 };
}
