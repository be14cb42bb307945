// The CPU half of an ingest, needing no database: parse the body, validate it against the contract
// (400 with the failing field paths), and hash every row (lib/schemas/row-hash.ts). Runs on an
// ingest worker thread when the server has one (lib/ingest/ingest-runner.ts), so a large body never
// holds up other requests.
import { AppError } from '@/lib/errors';
import { zodIssues } from '@/lib/http/respond';
import { hashRows, rowSections, rowHash, type RowOf, type RowSection } from '@/lib/schemas/row-hash';
import type { Snapshot, TracerouteRun } from '@/lib/schemas/snapshot';
import { isSectionChanges, snapshotUploadSchema, type SnapshotUpload } from '@/lib/schemas/snapshot-upload';

/** A section sent whole: its rows, each row's hash, and the digest of them all. */
interface WholeSection<Row> {
  kind: 'whole';
  rows: Row[];
  hashes: string[];
  digest: string;
}

/** A section sent as its changes against the base snapshot. */
interface ChangedSection<Row> {
  kind: 'changes';
  added: Row[];
  addedHashes: string[];
  removed: string[];
  /** The digest of the section's full state after the changes, as the collector computed it. */
  digest: string;
}

export type PreparedSection<Row> = WholeSection<Row> | ChangedSection<Row>;

type PreparedSections = { [S in RowSection]?: PreparedSection<RowOf[S]> };

export interface PreparedUpload {
  envelope: Pick<Snapshot, 'host' | 'collectedAt' | 'idempotencyKey' | 'collectorVersion' | 'run'>;
  /** The snapshot id a delta was made against; undefined for a whole snapshot. */
  base: string | undefined;
  sections: PreparedSections;
  traceroutes: TracerouteRun[] | undefined;
}

export function parseUploadJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new AppError('bad_request', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`, [{ path: '(body)', message: 'invalid JSON' }]);
  }
}

/** Validates a parsed body (a snapshot or a delta) and hashes its rows. */
export function prepareUpload(value: unknown): PreparedUpload {
  const parsed = snapshotUploadSchema.safeParse(value);
  if (!parsed.success) {
    const fields = zodIssues(parsed.error);
    const status = fields.some((field) => field.message.startsWith('at most ')) ? 'payload_too_large' : 'bad_request';
    throw new AppError(status, `Invalid snapshot: ${fields[0]?.path}: ${fields[0]?.message}`, fields);
  }
  return prepareValidUpload(parsed.data);
}

/** A snapshot already checked against the contract (the built-in collector, tests). */
export function prepareValidUpload(upload: SnapshotUpload): PreparedUpload {
  const sections: PreparedSections = {};
  for (const section of rowSections) prepareSection(sections, section, upload[section]);
  return {
    envelope: {
      host: upload.host,
      collectedAt: upload.collectedAt,
      idempotencyKey: upload.idempotencyKey,
      collectorVersion: upload.collectorVersion,
      run: upload.run,
    },
    base: upload.base,
    sections,
    traceroutes: upload.traceroutes,
  };
}

function prepareSection<S extends RowSection>(sections: PreparedSections, section: S, value: SnapshotUpload[S]): void {
  if (value === undefined) return;
  if (isSectionChanges<S>(value as never)) {
    const changes = value as unknown as { added: RowOf[S][]; removed: string[]; digest: string };
    const prepared: ChangedSection<RowOf[S]> = {
      kind: 'changes',
      added: changes.added,
      addedHashes: changes.added.map((row) => rowHash(section, row)),
      removed: changes.removed,
      digest: changes.digest,
    };
    (sections as Record<RowSection, PreparedSection<unknown>>)[section] = prepared;
    return;
  }
  const rows = value as unknown as RowOf[S][];
  const { hashes, digest } = hashRows(section, rows);
  (sections as Record<RowSection, PreparedSection<unknown>>)[section] = { kind: 'whole', rows, hashes, digest };
}
