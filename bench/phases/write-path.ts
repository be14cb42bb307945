// (4) The write path of changed rows against the physical limit: snapshots whose every row changed
// (each row of the host ends and a new one appears), the row writes exactly as ingest issues them
// (lib/ingest/write-rows.ts writeRowChanges: one statement per snapshot that closes the rows that went
// — they move from `_open` to their week partition — and inserts the new ones), next to COPY of the
// same rows into the same tables (psql \copy from a temp file, one transaction, psql's start-up taken
// off): the closed rows into their week, the new ones into `_open`. Rows = rows closed + rows opened,
// for both. For scale: the same row writes at the measured churn, and whole ingests of all-changed
// snapshots over HTTP and in-process (ingestValidSnapshot).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SqlClient } from '@/lib/db/sql-client';
import { OPEN_ROWS } from '@/lib/db/partitions';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import type { SectionChange, SectionChanges } from '@/lib/ingest/section-changes';
import { writeRowChanges } from '@/lib/ingest/write-rows';
import { defaultRetentionPolicy, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import type { RowOf } from '@/lib/schemas/row-hash';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { churnParts } from '../churn';
import { drawReplacements, type ChurnPlan } from '../churn-model';
import { copyColumns, copyCommand, csvLine, psqlStartupMs, runPsql } from '../copy-rows';
import { createRandom } from '../fleet';
import { benchSections, HostRows, partAt, pickDistinct, sectionOfPart, type BenchSection } from '../host-model';
import { postJson, type FleetModel } from '../load-generator';
import { rowRecord, type SeededHost } from '../seed';
import { summarize, type Summary } from '../stats';

export const WRITE_PATH_GOAL_SHARE = 0.5;

interface WriteMethodResult {
  method: string;
  snapshots: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  perSnapshotMs?: Summary;
}

export interface WritePathResult {
  /** Rows written per all-changed snapshot (closed + opened). */
  rowsPerSnapshot: number;
  methods: WriteMethodResult[];
  /** The write path's rows/s divided by COPY's, mean of the rounds: the goal figure. */
  writePathShareOfCopy: number;
  /** The same, per round. */
  writePathShareOfCopyPerRound: number[];
  httpShareOfCopy: number;
  ingestShareOfCopy: number;
}

interface RowWriteBatch {
  host: SeededHost;
  seq: number;
  changes: SectionChanges;
  /** The rows that ended, as they were, and the rows that appeared (for COPY). */
  closed: { [S in BenchSection]: RowOf[S][] };
  opened: { [S in BenchSection]: { row: RowOf[S]; hash: string }[] };
  rows: number;
}

/** Replaces rows of a host (every row, or as the churn plan draws) and returns the changes as ingest hands them to writeRowChanges. */
function nextChanges(state: HostRows, host: SeededHost, seq: number, how: 'all' | { plan: ChurnPlan; random: () => number }): RowWriteBatch {
  const closed = { sockets: [], processes: [], interfaces: [] } as RowWriteBatch['closed'];
  const opened = { sockets: [], processes: [], interfaces: [] } as RowWriteBatch['opened'];
  const removed: Record<BenchSection, string[]> = { sockets: [], processes: [], interfaces: [] };
  const replaceAt = (section: BenchSection, position: number) => {
    (closed[section] as RowOf[BenchSection][]).push(state.rowAt(section, position));
    const change = state.replaceAt(partAt(state.profile, section, position), position);
    removed[section].push(change.endedHash);
    (opened[section] as { row: RowOf[BenchSection]; hash: string }[]).push({ row: state.rowAt(section, position), hash: change.appearedHash });
  };
  if (how === 'all') {
    for (const section of benchSections) for (let position = 0; position < state.current[section].length; position += 1) replaceAt(section, position);
  } else {
    const counts = drawReplacements(how.plan, how.random);
    for (const part of churnParts) {
      for (const position of pickDistinct(state.profile.slots[part], counts[part], how.random)) replaceAt(sectionOfPart[part], position);
    }
  }
  const changes: SectionChanges = {};
  for (const section of benchSections) {
    if (removed[section].length === 0) continue;
    const change: SectionChange<RowOf[BenchSection]> = {
      added: opened[section].map((entry) => entry.row),
      addedHashes: opened[section].map((entry) => entry.hash),
      removed: removed[section],
      closeUnhashed: false,
      digest: '00000000-0000-0000-0000-000000000000',
      rowCount: state.current[section].length,
      wasKnown: true,
    };
    (changes as Record<BenchSection, SectionChange<unknown>>)[section] = change;
  }
  const rows = benchSections.reduce((sum, section) => sum + closed[section].length + opened[section].length, 0);
  return { host, seq, changes, closed, opened, rows };
}

export async function runWritePathPhase(options: {
  url: string;
  sql: SqlClient;
  databaseUrl: string;
  model: FleetModel;
  plan: ChurnPlan;
  /** Hosts whose rows only the write-path methods touch (their Snapshot and digests stay as seeded). */
  rowHosts: SeededHost[];
  /** Hosts for the whole ingests (HTTP and in-process). */
  ingestHosts: SeededHost[];
  /** A host with no rows, to COPY into. */
  copyHost: SeededHost;
  snapshots: number;
  log: (line: string) => void;
}): Promise<WritePathResult> {
  const { snapshots, log, model } = options;
  const now = new Date();
  const closedRowsWeek = toDateText(retainUntilFor(now, defaultRetentionPolicy.changedDays, now));
  const stateOf = new Map<number, { rows: HostRows; seq: number }>();
  const hostState = (host: SeededHost) => {
    let state = stateOf.get(host.id);
    if (!state) {
      state = {
        rows: new HostRows(model.profiles[host.profile % model.profiles.length] as (typeof model.profiles)[number], model.pool, host.index + 1_000_000),
        seq: 1,
      };
      stateOf.set(host.id, state);
    }
    return state;
  };
  const methods: WriteMethodResult[] = [];
  const record = (result: WriteMethodResult) => {
    methods.push(result);
    log(
      `  ${result.method.padEnd(62)} ${String(result.rows).padStart(7)} rows in ${result.seconds.toFixed(2)} s = ${Math.round(result.rowsPerSecond).toLocaleString('en')} rows/s`,
    );
  };
  /** A method timed snapshot by snapshot from `started` until now. */
  const recordTimed = (method: string, batch: readonly { rows: number }[], samples: number[], started: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rows = batch.reduce((sum, item) => sum + item.rows, 0);
    record({ method, snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds, perSnapshotMs: summarize(samples) });
  };
  const timeRowWrites = async (batches: RowWriteBatch[], method: string) => {
    const samples: number[] = [];
    const started = performance.now();
    for (const batch of batches) {
      const begun = performance.now();
      await options.sql.transaction((tx) => writeRowChanges(tx, { hostId: batch.host.id, seq: batch.seq, closedRowsWeek, changes: batch.changes }));
      samples.push(performance.now() - begun);
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = batches.reduce((sum, batch) => sum + batch.rows, 0);
    const result = { method, snapshots: batches.length, rows, seconds, rowsPerSecond: rows / seconds, perSnapshotMs: summarize(samples) };
    record(result);
    return result;
  };
  const batchOf = (count: number, how: Parameters<typeof nextChanges>[3]) =>
    Array.from({ length: count }, (_, index) => {
      const host = options.rowHosts[index % options.rowHosts.length] as SeededHost;
      const state = hostState(host);
      state.seq += 1;
      return nextChanges(state.rows, host, state.seq, how);
    });

  // 1, 2. The goal figure: all-changed snapshots, the row writes as ingest issues them, then COPY of
  // the same rows into the same tables; two rounds, so that a neighbour's burst in one shows.
  const shares: number[] = [];
  const copyRates: number[] = [];
  let rowsPerSnapshot = 0;
  for (let round = 1; round <= 2; round += 1) {
    const allChanged = batchOf(snapshots, 'all');
    rowsPerSnapshot = allChanged[0]?.rows ?? 0;
    const written = await timeRowWrites(allChanged, `write path: writeRowChanges, all rows changed (round ${round})`);
    const copied = copyRows(
      options.databaseUrl,
      options.copyHost.id,
      closedRowsWeek,
      allChanged,
      `COPY of the same rows (psql \\copy, one transaction, round ${round})`,
    );
    record(copied);
    shares.push(written.rowsPerSecond / copied.rowsPerSecond);
    copyRates.push(copied.rowsPerSecond);
  }

  // 3. The same row writes at the measured churn (a few dozen to a few hundred rows per snapshot).
  const random = createRandom(0x3a17);
  await timeRowWrites(
    batchOf(snapshots * 4, { plan: options.plan, random }),
    `write path at ${options.plan.mix} churn (${Math.round(options.plan.rowsPerSnapshot)} rows replaced/snapshot)`,
  );

  // 4. Whole ingests of all-changed snapshots over HTTP, two collectors at a time.
  const wholeSnapshot = (host: SeededHost, tag: string): { snapshot: Snapshot; rows: number } => {
    const state = hostState(host);
    let rows = 0;
    for (const section of benchSections) {
      for (let position = 0; position < state.rows.current[section].length; position += 1) {
        state.rows.replaceAt(partAt(state.rows.profile, section, position), position);
        rows += 2;
      }
    }
    state.seq += 1;
    return {
      rows,
      snapshot: {
        version: 1,
        host: { name: host.name, os: 'Linux 6.1.0-18-amd64 x86_64' },
        collectedAt: new Date().toISOString(),
        idempotencyKey: `${host.name}-${tag}-${state.seq}`,
        collectorVersion: 'bench-1',
        sockets: state.rows.sectionRows('sockets'),
        processes: state.rows.sectionRows('processes'),
        interfaces: state.rows.sectionRows('interfaces'),
      },
    };
  };
  {
    const half = Math.max(1, Math.floor(options.ingestHosts.length / 2));
    const batch = Array.from({ length: snapshots }, (_, index) => {
      const host = options.ingestHosts[index % half] as SeededHost;
      const { snapshot, rows } = wholeSnapshot(host, 'wph');
      return { lane: (index % half) % 2, host, rows, body: JSON.stringify(snapshot) };
    });
    const samples: number[] = [];
    const started = performance.now();
    // Two collectors at a time; a host always in the same lane, so never two posts of one host at once (429).
    const lane = async (which: number) => {
      for (const item of batch.filter((entry) => entry.lane === which)) {
        const begun = performance.now();
        const response = await postJson(`${options.url}/api/v1/snapshots`, { authorization: `Bearer ${item.host.token}` }, item.body);
        if (response.status !== 202) throw new Error(`all-changed POST answered ${response.status}: ${response.text.slice(0, 200)}`);
        samples.push(performance.now() - begun);
      }
    };
    await Promise.all([lane(0), lane(1)]);
    recordTimed('whole ingest over HTTP, all rows changed (2 collectors at a time)', batch, samples, started);
  }

  // 5. ingestValidSnapshot() in this process: the ingest transaction and analysis, no HTTP or parsing.
  {
    const hosts = options.ingestHosts.slice(Math.max(1, Math.floor(options.ingestHosts.length / 2)));
    const batch = Array.from({ length: snapshots }, (_, index) => {
      const host = hosts[index % hosts.length] as SeededHost;
      return { host, ...wholeSnapshot(host, 'wpi') };
    });
    const samples: number[] = [];
    const started = performance.now();
    for (const item of batch) {
      const begun = performance.now();
      await ingestValidSnapshot(options.sql, { id: item.host.id, name: item.host.name, labels: [] }, item.snapshot);
      samples.push(performance.now() - begun);
    }
    recordTimed('ingestValidSnapshot() in-process, all rows changed, sequential', batch, samples, started);
  }

  const rate = (prefix: string) => methods.find((method) => method.method.startsWith(prefix))?.rowsPerSecond ?? NaN;
  const copyRate = copyRates.reduce((sum, value) => sum + value, 0) / copyRates.length;
  return {
    rowsPerSnapshot,
    methods,
    writePathShareOfCopy: shares.reduce((sum, share) => sum + share, 0) / shares.length,
    writePathShareOfCopyPerRound: shares,
    httpShareOfCopy: rate('whole ingest over HTTP') / copyRate,
    ingestShareOfCopy: rate('ingestValidSnapshot()') / copyRate,
  };
}

/** COPY of the batches' rows for another host: the closed ones into their week, the opened ones into `_open`. */
function copyRows(databaseUrl: string, hostId: number, closedRowsWeek: string, batches: readonly RowWriteBatch[], method: string): WriteMethodResult {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'sockscope-bench-copy-'));
  try {
    let rows = 0;
    const commands: string[] = [];
    for (const section of benchSections) {
      const columns = copyColumns(section);
      const lines: string[] = [];
      for (const batch of batches) {
        for (const row of batch.closed[section])
          lines.push(
            csvLine(section, columns, { hostId, openedSeq: 1, closedSeq: batch.seq, retainUntil: closedRowsWeek, ...rowRecord(section, row as never, null) }),
          );
        for (const entry of batch.opened[section])
          lines.push(
            csvLine(section, columns, {
              hostId,
              openedSeq: batch.seq,
              closedSeq: null,
              retainUntil: OPEN_ROWS,
              ...rowRecord(section, entry.row as never, entry.hash),
            }),
          );
      }
      rows += lines.length;
      const file = path.join(directory, `${section}.csv`);
      writeFileSync(file, lines.join('\n') + '\n');
      commands.push(copyCommand(section, file));
    }
    const script = path.join(directory, 'copy.sql');
    writeFileSync(script, commands.join('\n') + '\n');
    const startup = psqlStartupMs(databaseUrl);
    const copyMs = runPsql(databaseUrl, script);
    const seconds = Math.max(0.001, (copyMs - startup) / 1000);
    return { method, snapshots: batches.length, rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
