// Reads and validates a snapshot request body: size limit first (413), then JSON (400), then the
// contract schema (400 with the failing field paths).
import { AppError } from '@/lib/http/errors';
import { readTextWithLimit } from '@/lib/http/read-json-body';
import { zodIssues } from '@/lib/http/respond';
import { snapshotSchema, snapshotSections, type Snapshot, type SnapshotSection } from '@/lib/schemas/snapshot';
import { digestRows, recordArrivalDigest, sectionHashes, sectionOwner } from '@/lib/snapshots/section-hash';

export function readBodyWithLimit(request: Request, maxBytes: number): Promise<string> {
  return readTextWithLimit(request, maxBytes, 'snapshot');
}

/**
 * Parses and validates a snapshot. With the sending host's id, a section whose JSON is byte for
 * byte the one this host sent last (and which passed validation then) is not validated again:
 * most snapshots repeat the previous one, and validating 600 rows is a large share of an ingest's
 * CPU (bench/README.md).
 */
export function parseSnapshotJson(body: string, hostId?: number): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new AppError('bad_request', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`, [
      { path: '(body)', message: 'invalid JSON' },
    ]);
  }
  const { toValidate, repeated, digests } = setAsideRepeatedSections(value, hostId);
  const parsed = snapshotSchema.safeParse(toValidate);
  if (!parsed.success) {
    const fields = zodIssues(parsed.error);
    throw new AppError('bad_request', `Invalid snapshot: ${fields[0]?.path}: ${fields[0]?.message}`, fields);
  }
  const snapshot: Snapshot = { ...parsed.data, ...repeated };
  // The hash cache remembers each section by its JSON as it arrived, whatever key order zod returns.
  for (const section of snapshotSections) {
    const rows = snapshot[section];
    const digest = digests[section];
    if (rows && digest) recordArrivalDigest(rows, digest);
  }
  return snapshot;
}

/** Splits off the sections identical to the host's last ones; digests the others for the hash cache. */
function setAsideRepeatedSections(
  value: unknown,
  hostId: number | undefined,
): { toValidate: unknown; repeated: Partial<Snapshot>; digests: Partial<Record<SnapshotSection, string>> } {
  if (hostId === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return { toValidate: value, repeated: {}, digests: {} };
  const toValidate: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const repeated: Record<string, unknown> = {};
  const digests: Partial<Record<SnapshotSection, string>> = {};
  for (const section of snapshotSections) {
    const rows = toValidate[section];
    if (!Array.isArray(rows)) continue;
    const digest = digestRows(rows);
    digests[section] = digest;
    if (!sectionHashes.isLastSeen(sectionOwner(hostId, section), digest)) continue;
    repeated[section] = rows;
    delete toValidate[section];
  }
  return { toValidate, repeated: repeated as Partial<Snapshot>, digests };
}
