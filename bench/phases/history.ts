// (3) A busy host with a year of history (bench/seed-history.ts): the diff of two of its snapshots a
// week apart (diffStoredSnapshots, what GET /api/v1/hosts/NAME/diff answers, in-process and over
// HTTP), pairs drawn at random inside the part of the history stored at full resolution; and its
// host page with the first page of its history tab, as a browser opens them.
import pg from 'pg';
import type { SqlRunner } from '@/lib/db/sql-client';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { readChangesBetween, type SnapshotPoint } from '@/lib/history/read-rows';
import { diffStoredSnapshots } from '@/lib/snapshots/diff-stored-snapshots';
import { createRandom } from '../fleet';
import type { SeededHistory } from '../seed-history';
import { summarize, type Summary } from '../stats';
import { timePage, type PageTiming } from './pages';

export const DIFF_WEEK_P99_GOAL_MS = 20;

export interface HistoryPhaseResult {
  host: string;
  snapshots: number;
  weekSeqs: number;
  /** What one of the diffs found, for scale. */
  sampleDiff: unknown;
  diffInProcessMs: Summary;
  /** Of a diff: reading the rows that differ (readChangesBetween for the three sections, one statement, on the driver). */
  readChangesMs: Summary;
  /** Rows those reads return per diff (both sides, all sections). */
  rowsPerDiff: number;
  diffHttpMs: Summary;
  diffHttpStatus: number;
  page: PageTiming;
  historyTab: PageTiming;
}

export async function runHistoryPhase(options: {
  url: string;
  cookie: string;
  prisma: PrismaClient;
  /** The driver, for timing the row reads alone. */
  sql: SqlRunner;
  databaseUrl: string;
  history: SeededHistory;
  diffRuns: number;
  pageRuns: number;
}): Promise<HistoryPhaseResult> {
  const { history } = options;
  const random = createRandom(0xd1ff);
  const [firstTo, lastTo] = [history.detailedSeqs[0] + history.weekSeqs, history.detailedSeqs[1]];
  const pairsWanted = Math.max(1, options.diffRuns);
  const toSeqs = Array.from({ length: pairsWanted }, () => firstTo + Math.floor(random() * Math.max(1, lastTo - firstTo + 1)));
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const idOfSeq = new Map<number, string>();
  const pointOf = new Map<string, SnapshotPoint>();
  try {
    const seqs = [...new Set(toSeqs.flatMap((seq) => [seq, seq - history.weekSeqs]))];
    const result = await client.query<{ seq: number; id: string; retainUntil: string }>(
      `SELECT "seq", "id"::text AS "id", to_char("retainUntil", 'YYYY-MM-DD') AS "retainUntil" FROM "Snapshot" WHERE "hostId" = $1 AND "seq" = ANY($2::int[])`,
      [history.hostId, seqs],
    );
    for (const row of result.rows) {
      idOfSeq.set(row.seq, row.id);
      pointOf.set(row.id, { seq: row.seq, retainUntil: row.retainUntil });
    }
  } finally {
    await client.end();
  }
  const pairs = toSeqs.map((seq) => [idOfSeq.get(seq - history.weekSeqs) as string, idOfSeq.get(seq) as string] as const);

  const sample = await diffStoredSnapshots(options.prisma, history.name, BigInt(pairs[0]?.[0] ?? 0), BigInt(pairs[0]?.[1] ?? 0));
  // Warm-up: enough diffs for each of the pool's 10 connections to have loaded the partitions'
  // catalog and prepared the diff's statements, as in a server that has been answering for a while.
  for (let warm = 0; warm < 20; warm += 1) {
    const [from, to] = pairs[warm % pairs.length] as (typeof pairs)[number];
    await diffStoredSnapshots(options.prisma, history.name, BigInt(from), BigInt(to));
  }
  const inProcess: number[] = [];
  for (const [from, to] of pairs) {
    const started = performance.now();
    await diffStoredSnapshots(options.prisma, history.name, BigInt(from), BigInt(to));
    inProcess.push(performance.now() - started);
  }
  const readSamples: number[] = [];
  let rowsRead = 0;
  for (const [from, to] of pairs) {
    const started = performance.now();
    const changes = await readChangesBetween(
      options.sql,
      ['sockets', 'processes', 'interfaces'],
      history.hostId,
      pointOf.get(from) as SnapshotPoint,
      pointOf.get(to) as SnapshotPoint,
    );
    readSamples.push(performance.now() - started);
    rowsRead += Object.values(changes).reduce((sum, change) => sum + change.added.length + change.removed.length, 0);
  }
  const overHttp: number[] = [];
  let httpStatus = 0;
  for (const [from, to] of pairs.slice(0, Math.max(5, Math.floor(pairs.length / 4)))) {
    const started = performance.now();
    const response = await fetch(`${options.url}/api/v1/hosts/${encodeURIComponent(history.name)}/diff?from=${from}&to=${to}`, {
      headers: { cookie: options.cookie },
    });
    await response.text();
    httpStatus = response.status;
    overHttp.push(performance.now() - started);
  }
  const page = await timePage(options.url, `/hosts/${encodeURIComponent(history.name)}`, options.cookie, options.pageRuns);
  const historyTab = await timePage(
    options.url,
    `/api/v1/hosts/${encodeURIComponent(history.name)}/snapshots?limit=50&changedOnly=1`,
    options.cookie,
    options.pageRuns,
  );
  return {
    host: history.name,
    snapshots: history.snapshots,
    weekSeqs: history.weekSeqs,
    sampleDiff: sample.summary,
    diffInProcessMs: summarize(inProcess),
    readChangesMs: summarize(readSamples),
    rowsPerDiff: Math.round(rowsRead / Math.max(1, pairs.length)),
    diffHttpMs: summarize(overHttp),
    diffHttpStatus: httpStatus,
    page,
    historyTab,
  };
}
