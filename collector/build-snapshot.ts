// Turns gathered or parsed sections into a version-1 snapshot with the envelope fields the server needs.
// Types only: loading the schema module evaluates zod, which printing a snapshot does not need.
import type { SNAPSHOT_VERSION as SCHEMA_VERSION, Snapshot } from '../lib/schemas/snapshot';
import { makeIdempotencyKey } from './idempotency-key';
import { redactSecrets } from './redact';
import { COLLECTOR_VERSION } from './version';

export type SnapshotBody = Omit<Snapshot, 'version' | 'collectedAt' | 'idempotencyKey'>;

/** The schema's version, checked by the compiler: it stops compiling if the schema's changes. */
const SNAPSHOT_VERSION: typeof SCHEMA_VERSION = 1;

export interface EnvelopeOptions {
  collectedAt: Date;
  /** Deterministic suffix for the idempotency key (re-imports of the same file); random otherwise. */
  idempotencySuffix?: string;
  /** Never let these reach the server either, e.g. a token in a recorded command line. */
  secrets?: readonly (string | undefined)[];
}

export function finishSnapshot(body: SnapshotBody, options: EnvelopeOptions): Snapshot {
  const run = body.run?.commandLine ? { ...body.run, commandLine: redactSecrets(body.run.commandLine, options.secrets ?? []) } : body.run;
  const snapshot: Snapshot = {
    version: SNAPSHOT_VERSION,
    host: body.host,
    collectedAt: options.collectedAt.toISOString(),
    idempotencyKey: makeIdempotencyKey(body.host.name, options.collectedAt, options.idempotencySuffix),
    collectorVersion: COLLECTOR_VERSION,
  };
  // Sections keep the contract's key order, and absent ones stay absent ("not collected").
  if (run !== undefined) snapshot.run = run;
  if (body.sockets) snapshot.sockets = body.sockets;
  if (body.processes) snapshot.processes = body.processes;
  if (body.interfaces) snapshot.interfaces = body.interfaces;
  if (body.traceroutes) snapshot.traceroutes = body.traceroutes;
  if (body.packages) snapshot.packages = body.packages;
  return snapshot;
}
