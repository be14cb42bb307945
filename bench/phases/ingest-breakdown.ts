// Where one ingest's time goes, in this process (no HTTP, no worker thread): the fleet's deltas at
// the churn plan, each parsed and prepared as the server does (lib/ingest/prepare-upload.ts), then
// stored by ingestSnapshot on a SQL client that times every statement. What is not a statement is
// JavaScript on the ingest's thread (diffs, alert rules, building and parsing row JSON), BEGIN,
// COMMIT and waiting for a connection. The row-write statement's answer is measured too: the rows
// it reads back for the alert rules (previous listeners, interfaces, processes with a new one's
// command) travel as JSON to the ingest thread.
import type { QueryOptions, SqlClient, SqlRunner } from '@/lib/db/sql-client';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { parseUploadJson, prepareUpload } from '@/lib/ingest/prepare-upload';
import type { Fleet } from '../load-generator';
import { round, summarize, type Summary } from '../stats';

interface StatementTiming {
  statement: string;
  calls: number;
  meanMs: number;
  totalMs: number;
}

export interface IngestBreakdown {
  snapshots: number;
  mode: 'delta' | 'full';
  rowsReplacedPerPost: number;
  /** JSON.parse of the body, validation and row hashing (prepareUpload). */
  prepareMs: Summary;
  /** ingestSnapshot: the transaction, the diff and the alert rules. */
  ingestMs: Summary;
  /** CPU of this thread per snapshot, prepare + ingest. */
  cpuMsPerSnapshot: number;
  statements: StatementTiming[];
  /** ingestSnapshot time that is not in a statement (JavaScript, BEGIN/COMMIT, pool), per snapshot. */
  outsideStatementsMs: number;
  /** Mean characters per snapshot of each JSON column the row-write statement answers. */
  rowWriteAnswerChars: Record<string, number>;
  /** Mean rows per snapshot in the alert rules' reads of the state before it. */
  contextRows: Record<string, number>;
}

function statementName(text: string, options: QueryOptions | undefined): string {
  if (options?.statementName) return options.statementName;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (/^WITH \w+_wanted AS/.test(flat)) return 'row writes (lib/ingest/write-rows.ts)';
  if (flat.includes('FROM "HostSection"') || flat.includes('INTO "HostSection"')) return flat.slice(0, 60);
  if (flat.includes('INSERT INTO "Alert"')) return 'alerts insert';
  return flat.slice(0, 70);
}

/** A SQL client that reports how long each statement took, and the JSON columns of the row-write answer. */
function timedSqlClient(inner: SqlClient, onStatement: (name: string, ms: number, row: Record<string, unknown> | undefined) => void): SqlClient {
  const wrap = (runner: SqlRunner): SqlRunner => ({
    async query<Row>(text: string, params?: unknown[], options?: QueryOptions): Promise<Row[]> {
      const started = performance.now();
      const rows = await runner.query<Row>(text, params, options);
      onStatement(statementName(text, options), performance.now() - started, rows[0] as Record<string, unknown> | undefined);
      return rows;
    },
    exec: (text: string) => runner.exec(text),
  });
  return { kind: inner.kind, ...wrap(inner), transaction: (work) => inner.transaction((tx) => work(wrap(tx))) };
}

export async function runIngestBreakdown(options: { sql: SqlClient; fleet: Fleet; snapshots: number; mode?: 'delta' | 'full' }): Promise<IngestBreakdown> {
  const mode = options.mode ?? 'delta';
  const byStatement = new Map<string, { calls: number; totalMs: number }>();
  const answerChars = new Map<string, number>();
  const contextRows = new Map<string, number>();
  const sql = timedSqlClient(options.sql, (name, ms, row) => {
    const entry = byStatement.get(name) ?? { calls: 0, totalMs: 0 };
    entry.calls += 1;
    entry.totalMs += ms;
    byStatement.set(name, entry);
    if (name.startsWith('row writes') && row) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        answerChars.set(column, (answerChars.get(column) ?? 0) + value.length);
        if (column.startsWith('previous')) contextRows.set(column, (contextRows.get(column) ?? 0) + (JSON.parse(value) as unknown[]).length);
      }
    }
  });
  const prepareSamples: number[] = [];
  const ingestSamples: number[] = [];
  const countersBefore = options.fleet.counters;
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < options.snapshots; index += 1) {
    const state = options.fleet.nextHost();
    if (!state) break;
    const post = options.fleet.nextPost(state, mode, 'breakdown');
    let started = performance.now();
    const upload = prepareUpload(parseUploadJson(post.body));
    prepareSamples.push(performance.now() - started);
    started = performance.now();
    if (state.host.id === undefined) throw new Error(`${state.host.name} has no database id: the breakdown needs seeded hosts`);
    const result = await ingestSnapshot(sql, { id: state.host.id, name: state.host.name, labels: [] }, upload);
    ingestSamples.push(performance.now() - started);
    options.fleet.acknowledge(state, post, result.id);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const snapshots = Math.max(1, ingestSamples.length);
  const countersAfter = options.fleet.counters;
  const statements = [...byStatement]
    .map(([statement, entry]) => ({ statement, calls: entry.calls, meanMs: round(entry.totalMs / entry.calls, 2), totalMs: round(entry.totalMs, 0) }))
    .sort((a, b) => b.totalMs - a.totalMs);
  const statementMs = statements.reduce((sum, entry) => sum + entry.totalMs, 0);
  const ingestMs = summarize(ingestSamples);
  return {
    snapshots: ingestSamples.length,
    mode,
    rowsReplacedPerPost: (countersAfter.replaced - countersBefore.replaced) / Math.max(1, countersAfter.posts - countersBefore.posts),
    prepareMs: summarize(prepareSamples),
    ingestMs,
    cpuMsPerSnapshot: (cpu.user + cpu.system) / 1000 / snapshots,
    statements,
    outsideStatementsMs: round((ingestMs.mean * snapshots - statementMs) / snapshots, 2),
    rowWriteAnswerChars: Object.fromEntries([...answerChars].map(([column, chars]) => [column, Math.round(chars / snapshots)])),
    contextRows: Object.fromEntries([...contextRows].map(([column, rows]) => [column, round(rows / snapshots, 1)])),
  };
}

export function describeBreakdown(breakdown: IngestBreakdown): string[] {
  return [
    `${breakdown.snapshots} ${breakdown.mode} snapshots (${round(breakdown.rowsReplacedPerPost, 1)} rows replaced each): prepare (parse, validate, hash) p50 ${round(breakdown.prepareMs.p50, 2)} ms, ` +
      `ingestSnapshot p50 ${round(breakdown.ingestMs.p50, 1)} ms, mean ${round(breakdown.ingestMs.mean, 1)} ms, of which outside statements ${breakdown.outsideStatementsMs} ms; CPU of this thread ${round(breakdown.cpuMsPerSnapshot, 1)} ms/snapshot`,
    ...breakdown.statements.slice(0, 8).map((entry) => `    ${String(entry.meanMs).padStart(6)} ms × ${entry.calls}  ${entry.statement}`),
    `    row-write answer per snapshot: ${JSON.stringify(breakdown.rowWriteAnswerChars)} characters; rows read back for the alert rules: ${JSON.stringify(breakdown.contextRows)}`,
  ];
}
