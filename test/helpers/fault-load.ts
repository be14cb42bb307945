// Load for fault tests: a private PostgreSQL and work folder to run the server on, several collector
// processes posting to it while the test breaks something, and the bookkeeping afterwards — every
// idempotency key sent against every snapshot stored, so "nothing lost, nothing twice" is counted
// rather than assumed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { drainSpool } from '@/collector/delivery';
import { silentLogger } from '@/collector/log';
import { postSnapshot } from '@/collector/send';
import { Spool } from '@/collector/spool';
import { enrollHost, type BrowserSession } from './api-client';
import type { AppServer, startAppServer } from './app-server';
import { freePort } from './free-port';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { waitFor } from './wait-for';

type AppServerOptions = NonNullable<Parameters<typeof startAppServer>[0]>;

/** A fault test's own PostgreSQL and work folder, and the options that start the server on them. */
export interface FaultStage {
  postgres: PrivatePostgres;
  databaseUrl: string;
  workDir: string;
  serverOptions: AppServerOptions;
  dispose: () => Promise<void>;
}

/**
 * `name` tells the work folders of different tests apart. With `samePortAfterRestart` the server
 * options name a fixed port, so a restarted server is where the collectors were told it is.
 */
export async function prepareFaultStage(name: string, options: { samePortAfterRestart?: boolean } = {}): Promise<FaultStage> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), `sockscope-fault-${name}-`));
  let postgres: PrivatePostgres | undefined;
  const dispose = async () => {
    await postgres?.dispose();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    postgres = await startPrivatePostgres();
    const databaseUrl = await postgres.createDatabase('sockscope');
    const serverOptions: AppServerOptions = {
      keepData: { env: { DATABASE_URL: databaseUrl, DATA_DIR: workDir } },
      // The collectors here post five times a second each: above the default per-host limit on purpose.
      env: { SOCKSCOPE_INGEST_RATE: '100000/min' },
    };
    if (options.samePortAfterRestart) serverOptions.port = await freePort();
    return { postgres, databaseUrl, workDir, serverOptions, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

interface HostCredential {
  host: string;
  token: string;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function track(child: ChildProcess): { output: () => { stdout: string; stderr: string }; finished: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { output: () => ({ stdout, stderr }), finished };
}

interface LoadOptions {
  serverUrl: string;
  workDir: string;
  /** Synthetic collectors (the real run loop and spool, small snapshots). */
  synthetic: HostCredential[];
  snapshotsEach: number;
  intervalMs: number;
  /** This machine's own collector, run with the real CLI (`collector/cli.ts run`). */
  cli?: HostCredential & { intervalSeconds: number };
}

interface LoadReport {
  /** Idempotency keys collected (and so owed to the server), by host. */
  sent: Map<string, Set<string>>;
  /** Server answers the collectors logged while retrying ("HTTP 503", "ECONNREFUSED", ...), with counts. */
  retryReasons: Record<string, number>;
  /** Resends the server answered "stored already" (200): it had committed but the answer was lost. */
  replays: number;
  collectorOutput: string;
}

interface RunningLoad {
  /** Waits for the synthetic collectors to collect and deliver everything, stops the CLI collector once its spool is empty, delivers its remainder. */
  finish: () => Promise<LoadReport>;
  /** Kills every collector process (cleanup after a failure). */
  kill: () => void;
}

async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  const tsx = ['--import', 'tsx'];
  const synthetic = await Promise.all(
    options.synthetic.map(async ({ host, token }) => {
      const spoolDir = path.join(options.workDir, `spool-${host}`);
      const keysFile = path.join(options.workDir, `keys-${host}.txt`);
      await mkdir(spoolDir, { recursive: true });
      const child = spawn(
        process.execPath,
        [
          ...tsx,
          'test/helpers/load-collector.ts',
          '--server',
          options.serverUrl,
          '--token',
          token,
          '--host',
          host,
          '--spool',
          spoolDir,
          '--keys-file',
          keysFile,
          '--count',
          String(options.snapshotsEach),
          '--interval-ms',
          String(options.intervalMs),
        ],
        { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return { host, keysFile, child, ...track(child) };
    }),
  );
  let cli: {
    host: string;
    spoolDir: string;
    token: string;
    child: ChildProcess;
    output: () => { stdout: string; stderr: string };
    finished: Promise<Finished>;
  } | null = null;
  if (options.cli) {
    const spoolDir = path.join(options.workDir, 'spool-cli');
    const child = spawn(
      process.execPath,
      [
        ...tsx,
        'collector/cli.ts',
        'run',
        '--server',
        options.serverUrl,
        '--token',
        options.cli.token,
        '--interval',
        String(options.cli.intervalSeconds),
        '--spool-dir',
        spoolDir,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cli = { host: options.cli.host, spoolDir, token: options.cli.token, child, ...track(child) };
  }

  return {
    kill() {
      for (const collector of synthetic) collector.child.kill('SIGKILL');
      cli?.child.kill('SIGKILL');
    },
    async finish() {
      const sent = new Map<string, Set<string>>();
      let collectorOutput = '';
      for (const collector of synthetic) {
        const done = await collector.finished;
        collectorOutput += done.stderr;
        if (done.code !== 0) throw new Error(`collector for ${collector.host} exited with ${done.code}: ${done.stdout}\n${done.stderr.slice(-2000)}`);
        const keys = (await readFile(collector.keysFile, 'utf8')).split('\n').filter(Boolean);
        sent.set(collector.host, new Set(keys));
      }
      if (cli) {
        const spool = await Spool.open({ dir: cli.spoolDir });
        // Let it catch up, then stop it as an operator would; whatever it had not sent stays spooled.
        for (let waited = 0; waited < 60_000 && (await spool.list()).length > 0; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
        cli.child.kill('SIGTERM');
        const done = await cli.finished;
        collectorOutput += done.stderr;
        const keys = new Set<string>();
        for (const match of done.stderr.matchAll(/ sent \d{15}-\d{6}-([A-Za-z0-9._-]+)\.json: HTTP 20[02]/g)) keys.add(match[1]!);
        // The next start of the collector would replay these first: do just that.
        for (const entry of await spool.list()) keys.add(entry.name.replace(/^\d{15}-\d{6}-/, '').replace(/\.json$/, ''));
        for (let attempt = 0; attempt < 20 && (await spool.list()).length > 0; attempt++) {
          const result = await drainSpool({ spool, log: silentLogger, send: (body) => postSnapshot(body, { server: options.serverUrl, token: cli.token }) });
          if (result.retry) await new Promise((resolve) => setTimeout(resolve, 500));
        }
        const left = await spool.list();
        const rejected = await readdir(spool.rejectedDir).catch(() => []);
        if (left.length > 0 || rejected.length > 0) throw new Error(`the CLI collector kept ${left.length} unsent and ${rejected.length} rejected snapshot(s)`);
        sent.set(cli.host, keys);
      }
      const retryReasons: Record<string, number> = {};
      for (const match of collectorOutput.matchAll(/could not send \(([^)]+)\)/g)) retryReasons[match[1]!] = (retryReasons[match[1]!] ?? 0) + 1;
      const replays = [...collectorOutput.matchAll(/ sent \S+: HTTP 200 /g)].length;
      return { sent, retryReasons, replays, collectorOutput };
    },
  };
}

interface StoreCount {
  host: string;
  sent: number;
  stored: number;
  duplicates: number;
  lost: number;
  unexpected: number;
}

/** Compares the keys sent with the snapshots stored, host by host. */
async function countStored(databaseUrl: string, sent: Map<string, Set<string>>): Promise<StoreCount[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts: StoreCount[] = [];
    for (const [host, keys] of sent) {
      const { rows } = await client.query<{ key: string }>(
        `SELECT s."idempotencyKey" AS key FROM "Snapshot" s JOIN "Host" h ON h.id = s."hostId" WHERE h.name = $1`,
        [host],
      );
      const stored = rows.map((row) => row.key);
      const distinct = new Set(stored);
      counts.push({
        host,
        sent: keys.size,
        stored: stored.length,
        duplicates: stored.length - distinct.size,
        lost: [...keys].filter((key) => !distinct.has(key)).length,
        unexpected: [...distinct].filter((key) => !keys.has(key)).length,
      });
    }
    return counts;
  } finally {
    await client.end();
  }
}

export async function storedSnapshotCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('SELECT count(*) AS count FROM "Snapshot"');
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

const localHostName = () => os.hostname();

const SYNTHETIC_HOSTS = 3;
const SNAPSHOTS_EACH = 60;

export interface FaultLoad extends RunningLoad {
  /** Every host token handed to a collector: none may ever appear in any output. */
  tokens: string[];
}

/**
 * Enrols `${hostPrefix}-1` to `-3` and this machine, and starts their collectors: three synthetic
 * ones with 60 snapshots each, five a second, and the real CLI collecting every second.
 */
export async function startFaultLoad(server: AppServer, admin: BrowserSession, stage: FaultStage, hostPrefix: string): Promise<FaultLoad> {
  const synthetic: HostCredential[] = [];
  for (let index = 1; index <= SYNTHETIC_HOSTS; index++) {
    const host = `${hostPrefix}-${index}`;
    synthetic.push({ host, token: await enrollHost(server, admin, host) });
  }
  const cliHost = localHostName();
  const cliToken = await enrollHost(server, admin, cliHost);
  const load = await startLoad({
    serverUrl: server.url,
    workDir: stage.workDir,
    synthetic,
    snapshotsEach: SNAPSHOTS_EACH,
    intervalMs: 200,
    cli: { host: cliHost, token: cliToken, intervalSeconds: 1 },
  });
  return { ...load, tokens: [cliToken, ...synthetic.map((collector) => collector.token)] };
}

/** Waits until the load has stored its first snapshots, so that the fault strikes it in full flow. */
export async function waitForFirstSnapshots(databaseUrl: string): Promise<void> {
  await waitFor('the first snapshots', async () => (await storedSnapshotCount(databaseUrl)) >= 25, 60_000, 200);
}

export interface LoadOutcome {
  report: LoadReport;
  counts: StoreCount[];
  totals: Omit<StoreCount, 'host'>;
  tokens: string[];
}

/** Lets the load run out (see RunningLoad.finish), then counts what was stored against what was sent. */
export async function finishFaultLoad(load: FaultLoad, databaseUrl: string): Promise<LoadOutcome> {
  const report = await load.finish();
  const counts = await countStored(databaseUrl, report.sent);
  const totals = counts.reduce(
    (sum, count) => ({
      sent: sum.sent + count.sent,
      stored: sum.stored + count.stored,
      duplicates: sum.duplicates + count.duplicates,
      lost: sum.lost + count.lost,
      unexpected: sum.unexpected + count.unexpected,
    }),
    { sent: 0, stored: 0, duplicates: 0, lost: 0, unexpected: 0 },
  );
  return { report, counts, totals, tokens: load.tokens };
}

/** The outcome in one line for the test log: totals, counts per host, why the collectors retried. */
export function describeOutcome({ report, counts, totals }: LoadOutcome): string {
  return `${JSON.stringify(totals)} per host ${JSON.stringify(counts)} collector retries ${JSON.stringify(report.retryReasons)}, replays answered 200: ${report.replays}`;
}

/**
 * What holds after any fault, once the load has run out: no collector gave a snapshot up, no output
 * shows a host token, the only server error the collectors met was 503, and every snapshot sent is
 * stored exactly once. `server` is the one serving at the end; `earlier` those that ran before it.
 */
export function expectEverySnapshotStoredOnce(
  { report, totals, tokens }: LoadOutcome,
  { server, earlier = [] }: { server: AppServer; earlier?: AppServer[] },
): void {
  expect(report.collectorOutput).not.toMatch(/ lost |server refused/);
  for (const token of tokens) {
    expect(report.collectorOutput.includes(token)).toBe(false);
    expect([server, ...earlier].some((ran) => ran.output().includes(token))).toBe(false);
  }
  const unexpected = /unexpected error[\s\S]{0,2500}/.exec(server.output())?.[0];
  expect(
    Object.keys(report.retryReasons).filter((reason) => /HTTP 5\d\d/.test(reason) && reason !== 'HTTP 503'),
    unexpected,
  ).toEqual([]);
  expect(server.output()).not.toMatch(/unexpected error/);
  expect(totals.sent).toBeGreaterThanOrEqual(SYNTHETIC_HOSTS * SNAPSHOTS_EACH);
  expect(totals).toMatchObject({ stored: totals.sent, duplicates: 0, lost: 0, unexpected: 0 });
}
