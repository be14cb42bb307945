// Delta upload (lib/schemas/snapshot-upload.ts): once the server has acknowledged a snapshot, the
// next ones are sent as their row changes against it — rows that appeared, hashes of rows that went,
// and each section's digest — so an unchanged host sends a few hundred bytes. The spool keeps whole
// snapshots; a delta is made at send time against the last acknowledged state, so replay in order
// sends small deltas too. When the server answers 409 (its state is not the one the delta was made
// against: restored from a backup, rows expired, another source for this host), forget() makes the
// next send whole.
import { digestOfHashes, rowHash, rowSections, type RowOf, type RowSection } from '../lib/schemas/row-hash';
import type { Snapshot } from '../lib/schemas/snapshot';
import type { SnapshotUpload } from '../lib/schemas/snapshot-upload';

interface AckedSection {
  /** Row hash → how many rows have it. */
  counts: Map<string, number>;
  digest: string;
}

interface AckedState {
  snapshotId: string;
  sections: Map<RowSection, AckedSection>;
}

export class DeltaEncoder {
  private acked: AckedState | null = null;
  /** The sections of the snapshot last encoded, hashed once: acknowledging it reuses them. */
  private encoded: { snapshot: Snapshot; sections: Map<RowSection, AckedSection> } | null = null;

  /** The snapshot as a delta against the last acknowledged one, or whole when there is none. */
  encode(snapshot: Snapshot): SnapshotUpload {
    const acked = this.acked;
    if (!acked) return snapshot;
    const upload: Record<string, unknown> = { ...snapshot, base: acked.snapshotId };
    const sections = new Map<RowSection, AckedSection>();
    for (const section of rowSections) {
      const rows = snapshot[section] as RowOf[typeof section][] | undefined;
      const before = acked.sections.get(section);
      if (!rows || !before) continue;
      const { changes, after } = changesAgainst(section, before, rows);
      upload[section] = changes;
      sections.set(section, after);
    }
    this.encoded = { snapshot, sections };
    return upload as SnapshotUpload;
  }

  /** The server stored `snapshot` as `snapshotId`: later snapshots go as deltas against it. */
  acknowledge(snapshot: Snapshot, snapshotId: string): void {
    const hashed = this.encoded?.snapshot === snapshot ? this.encoded.sections : undefined;
    this.encoded = null;
    const sections = new Map(this.acked?.sections ?? []);
    for (const section of rowSections) {
      const rows = snapshot[section] as RowOf[typeof section][] | undefined;
      // A section this snapshot did not collect stays as the server holds it.
      if (rows) sections.set(section, hashed?.get(section) ?? countRows(section, rows));
    }
    this.acked = { snapshotId, sections };
  }

  /** The server does not hold the acknowledged state: send the next snapshot whole. */
  forget(): void {
    this.acked = null;
    this.encoded = null;
  }
}

function countRows<S extends RowSection>(section: S, rows: readonly RowOf[S][]): AckedSection {
  const counts = new Map<string, number>();
  const hashes: string[] = [];
  for (const row of rows) {
    const hash = rowHash(section, row);
    hashes.push(hash);
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
  }
  return { counts, digest: digestOfHashes(hashes) };
}

/** The rows that came and went since `before`, and the section as it is after them (for acknowledging). */
function changesAgainst<S extends RowSection>(section: S, before: AckedSection, rows: readonly RowOf[S][]) {
  const remaining = new Map(before.counts);
  const counts = new Map<string, number>();
  const added: RowOf[S][] = [];
  const hashes: string[] = [];
  for (const row of rows) {
    const hash = rowHash(section, row);
    hashes.push(hash);
    counts.set(hash, (counts.get(hash) ?? 0) + 1);
    const count = remaining.get(hash) ?? 0;
    if (count > 0) remaining.set(hash, count - 1);
    else added.push(row);
  }
  const removed: string[] = [];
  for (const [hash, count] of remaining) for (let copy = 0; copy < count; copy++) removed.push(hash);
  const digest = digestOfHashes(hashes);
  return { changes: { added, removed, digest }, after: { counts, digest } };
}

export interface Delivery {
  kind: 'delivered' | 'rejected' | 'retry';
  status: number | null;
  body?: string;
}

/**
 * Wraps a sender of whole snapshot bodies (as spooled) so that each goes as a delta against the
 * last one the server acknowledged, and whole again after a 409.
 */
export function sendingDeltas<Outcome extends Delivery>(encoder: DeltaEncoder, send: (body: string) => Promise<Outcome>): (body: string) => Promise<Outcome> {
  return async (body) => {
    const snapshot = JSON.parse(body) as Snapshot;
    const upload = encoder.encode(snapshot);
    let outcome = await send(upload === snapshot ? body : JSON.stringify(upload));
    if (outcome.status === 409 && upload !== snapshot) {
      encoder.forget();
      outcome = await send(body);
    }
    if (outcome.kind === 'delivered') {
      const id = acknowledgedId(outcome.body);
      if (id) encoder.acknowledge(snapshot, id);
      else encoder.forget();
    }
    return outcome;
  };
}

function acknowledgedId(body: string | undefined): string | null {
  try {
    const answer = JSON.parse(body ?? '') as { id?: unknown };
    return typeof answer.id === 'string' ? answer.id : null;
  } catch {
    return null;
  }
}
