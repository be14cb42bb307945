// `npm run bench`: every server figure of the performance issue in one run, each printed next to
// its goal, against the real PostgreSQL (a database created for the run and dropped after) and the
// real server (server.ts, NODE_ENV=production, the Next.js build in SOCKSCOPE_DIST_DIR).
//
//   npm run bench                      full run (about 10 minutes)
//   npm run bench -- --quick           about 2-3 minutes: fewer hosts with data, shorter steps
//   npm run bench -- --soak-minutes 10 hold the goal load 10 minutes for the memory figure
//   npm run bench -- --skip-collector  leave out the collector benchmark
//
// Results: bench/results/<time>.json and bench/results/latest.json. Numbers on a shared 2-core
// machine are noisy: compare runs made on the same machine at the same time of day.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '@/lib/db/open-database';
import { postSnapshot } from '@/test/helpers/snapshots';
import { Fleet } from './load-generator';
import { runDiffPhase, DIFF_P99_GOAL_MS, type DiffPhaseResult } from './phases/diff';
import { INGEST_P99_GOAL_MS, INGEST_RATE_GOAL, runIngestPhase, type IngestPhaseResult } from './phases/ingest';
import { LIVE_P99_GOAL_MS, LiveClients, runLivePhase, type LivePhaseResult } from './phases/live';
import { buildBigSockets, PAGE_P95_GOAL_MS, timePage, type PageTiming } from './phases/pages';
import { runStoragePhase, STORAGE_GOAL_BYTES, type StoragePhaseResult } from './phases/storage';
import { runWritePathPhase, WRITE_PATH_GOAL_SHARE, type WritePathResult } from './phases/write-path';
import { CpuMeter, readRssMb } from './proc';
import { buildProfiles, createBenchDatabase, seedFleet } from './seed';
import { enroll, signIn, startBenchServer, type BenchServer } from './server';
import { round, slope } from './stats';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string' },
    'skip-collector': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
    /** Run another checkout's server (with its build in --dist-dir), for before/after numbers in one sitting. */
    'server-dir': { type: 'string' },
    /** App nodes on this machine, sharing PostgreSQL and Redis (REDIS_URL); collectors and dashboards spread over them. */
    nodes: { type: 'string', default: '1' },
    'dist-dir': { type: 'string' },
  },
});
const quick = args.quick ?? false;

const plan = quick
  ? { hosts: 10_000, withData: 1000, rates: [50, 167, 300, 500], stepS: 8, liveS: 15, soakS: 30, pageRuns: 15, storageSnapshots: 500, writeSnapshots: 40, diffIterations: 500 }
  : { hosts: 10_000, withData: 10_000, rates: [50, 100, 167, 250, 350, 500, 700, 1000], stepS: 15, liveS: 60, soakS: 150, pageRuns: 40, storageSnapshots: 3000, writeSnapshots: 150, diffIterations: 2000 };
if (args['soak-minutes']) plan.soakS = Math.max(0, Number(args['soak-minutes']) * 60 - plan.liveS);
const LIVE_CLIENTS = 100;
const NODES = Math.max(1, Math.min(8, Number(args.nodes) || 1));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GOAL_RATE = Math.round(INGEST_RATE_GOAL);

const startedAt = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);

interface RssSample {
  t: number;
  rssMb: number;
  phase: string;
}

interface MemoryResult {
  note: string;
  loadedWindowS: number;
  startMb: number;
  endMb: number;
  maxMb: number;
  slopeMbPerMin: number;
  wholeRun: { startMb: number; endMb: number; maxMb: number; slopeMbPerMin: number };
  samples: RssSample[];
}

async function main(): Promise<void> {
  // The same check `npm start` makes: build the dashboard into SOCKSCOPE_DIST_DIR if missing or stale.
  const { buildIfStale } = (await import('../scripts/lib/build.mjs' as string)) as { buildIfStale(): void };
  buildIfStale();
  // Other work on the machine skews every figure: measure it first, while this bench is idle.
  const idleMeter = new CpuMeter(process.pid);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const backgroundCpuPercent = round(idleMeter.read().machinePercent, 0);
  const results: Record<string, unknown> = { meta: { ...meta(), backgroundCpuPercent } };
  log(
    `Sockscope bench (${quick ? 'quick' : 'full'}), build dir ${args['dist-dir'] ?? process.env.SOCKSCOPE_DIST_DIR ?? '.next'}` +
      `${args['server-dir'] ? ` in ${args['server-dir']}` : ''}; machine already ${backgroundCpuPercent}% busy before starting (other work)`,
  );

  log('(4) diff: 1,000 processes + 500 sockets');
  const diff = runDiffPhase(plan.diffIterations);
  results.diff = diff;
  log(`  changed p50 ${round(diff.changedMs.p50, 2)} ms, p99 ${round(diff.changedMs.p99, 2)} ms; identical p99 ${round(diff.identicalMs.p99, 2)} ms`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-bench-'));
  const benchDb = await createBenchDatabase(quick ? 'quick' : 'full');
  const servers: BenchServer[] = [];
  const redisPrefix = `sockscope-bench-${process.pid}-${Date.now().toString(36)}`;
  let clients: LiveClients | null = null;
  const database = await openDatabase({ databaseUrl: benchDb.url, dataDir });
  const rssSamples: RssSample[] = [];
  let phase = 'start';
  let sampler: NodeJS.Timeout | null = null;
  try {
    log(`database ${benchDb.name}: seeding ${plan.hosts.toLocaleString('en')} hosts, ${plan.withData.toLocaleString('en')} with a stored snapshot (200 sockets, 400 processes, 8 interfaces)`);
    const profiles = buildProfiles(100);
    const seedStarted = performance.now();
    const hosts = await seedFleet(benchDb.url, { hosts: plan.hosts, withData: plan.withData, profiles });
    results.seed = { hosts: plan.hosts, withData: plan.withData, seconds: round((performance.now() - seedStarted) / 1000) };
    log(`  seeded in ${round((performance.now() - seedStarted) / 1000)} s`);

    for (let node = 0; node < NODES; node += 1) {
      servers.push(
        await startBenchServer({
          env: {
            DATABASE_URL: benchDb.url,
            // Hosts post every hosts/rate seconds here, not every 60 s: keep the silent-host check from alerting on the whole fleet.
            SOCKSCOPE_SILENT_AFTER_INTERVALS: '1000',
            DATA_DIR: path.join(dataDir, `node-${node}`),
            ...(args['dist-dir'] ? { SOCKSCOPE_DIST_DIR: args['dist-dir'] } : {}),
            ...(NODES > 1 ? { REDIS_URL, SOCKSCOPE_REDIS_PREFIX: redisPrefix } : {}),
          },
          cwd: args['server-dir'],
        }),
      );
    }
    const server = servers[0] as BenchServer;
    const urls = servers.map((node) => node.url);
    const serverPid = servers.map((node) => node.process.pid as number);
    const serverStarted = performance.now();
    sampler = setInterval(() => {
      const perNode = serverPid.map((pid) => readRssMb(pid));
      if (perNode.every((rss) => rss !== null)) rssSamples.push({ t: (performance.now() - serverStarted) / 1000, rssMb: perNode.reduce((sum, rss) => (sum ?? 0) + (rss ?? 0), 0) ?? 0, phase });
    }, 1000);
    log(`${NODES === 1 ? 'server' : `${NODES} nodes (Redis prefix ${redisPrefix}):`} ${servers.map((node) => `pid ${node.process.pid} on ${node.url}`).join(', ')}`);
    const session = await signIn(server.url);

    const bigToken = await enroll(server.url, session, 'big-host-01');
    const bigProfile = profiles[0];
    const bigResponse = await postSnapshot(server.url, bigToken, {
      version: 1,
      host: { name: 'big-host-01', os: 'Linux 6.1.0-18-amd64 x86_64' },
      collectedAt: new Date().toISOString(),
      idempotencyKey: `big-host-01-${Date.now()}`,
      sockets: buildBigSockets(2000),
      processes: bigProfile?.rows.processes,
      interfaces: bigProfile?.rows.interfaces,
    });
    if (bigResponse.status !== 202) throw new Error(`big host snapshot: ${bigResponse.status} ${await bigResponse.text()}`);

    const fleet = new Fleet(hosts.slice(0, plan.withData), profiles);
    phase = 'ingest';
    log(`(1) ingest: ${plan.withData.toLocaleString('en')} virtual collectors, 95% unchanged / 5% changed, steps of ${plan.stepS} s`);
    const ingest = await runIngestPhase({ url: urls, fleet, serverPid, rates: plan.rates, stepS: plan.stepS, log });
    results.ingest = ingest;

    phase = 'live';
    log(`(3) live: ${LIVE_CLIENTS} dashboards connected, collectors at ${GOAL_RATE}/s for ${plan.liveS} s`);
    clients = await LiveClients.start(urls, session.cookie, LIVE_CLIENTS);
    const live = await runLivePhase({ url: urls, fleet, clients, serverPid, rate: GOAL_RATE, durationS: plan.liveS });
    results.live = live;
    log(
      `  event after 202 (negative: before it): p50 ${round(live.live.afterAcceptedMs.p50)} ms, p99 ${round(live.live.afterAcceptedMs.p99)} ms; after POST sent: p99 ${round(live.live.afterSentMs.p99)} ms; ` +
        `fan-out to all ${LIVE_CLIENTS} p99 ${round(live.live.fanOutMs.p99)} ms; ` +
        `${live.live.received.toLocaleString('en')} of ${live.live.expected.toLocaleString('en')} events; ingest p99 ${round(live.load.latencyMs.p99)} ms; ` +
        `server CPU ${round(live.serverCpuPercent ?? NaN, 0)}%, clients CPU ${round(live.live.clientCpuPercent, 0)}%`,
    );

    if (plan.soakS > 0) {
      phase = 'soak';
      log(`(7) memory: holding ${GOAL_RATE}/s with the dashboards connected for ${plan.soakS} s more`);
      const { runLoad } = await import('./load-generator');
      const soak = await runLoad(fleet, { url: urls, rate: GOAL_RATE, durationS: plan.soakS, tag: 'soak' });
      results.soak = soak;
      log(`  soak: ${round(soak.achievedRate)}/s, p99 ${round(soak.latencyMs.p99)} ms, errors ${soak.errors}`);
    }
    await clients.close();
    clients = null;
    phase = 'after-load';

    log('(5) pages');
    const pages: PageTiming[] = [await timePage(server.url, '/', session.cookie, plan.pageRuns), await timePage(server.url, '/hosts/big-host-01', session.cookie, plan.pageRuns)];
    results.pages = pages;
    for (const page of pages) log(`  GET ${page.path}: ${page.status}, ${Math.round(page.bytes / 1024)} KiB, p50 ${round(page.ms.p50)} ms, p95 ${round(page.ms.p95)} ms`);
    if (pages.some((page) => page.status !== 200)) log(`  server output (last 3 KB):\n${server.output().slice(-3000)}`);

    log(`(6) storage: ${plan.storageSnapshots} unchanged snapshots`);
    const storage = await runStoragePhase({ url: urls, databaseUrl: benchDb.url, fleet, snapshots: plan.storageSnapshots, rate: 100 });
    results.storage = storage;
    log(`  ${round(storage.bytesPerSnapshot, 0)} bytes per unchanged snapshot (${JSON.stringify(storage.perTable)}; not ingest: ${JSON.stringify(storage.otherTables)}), Snapshot row ${round(storage.snapshotRowBytes, 0)} bytes, ${round(storage.snapshotPartitionBytesPerRow, 0)} bytes per row of its week partition`);

    phase = 'write-path';
    log(`(2) write path: ${plan.writeSnapshots} all-changed snapshots per method (${profiles[0]?.rows.sockets.length} + ${profiles[0]?.rows.processes.length} + ${profiles[0]?.rows.interfaces.length} rows each)`);
    results.writePath = await runWritePathPhase({ url: server.url, databaseUrl: benchDb.url, prisma: database.prisma, hosts: hosts.slice(0, Math.min(50, plan.withData)), profiles, snapshots: plan.writeSnapshots, log });

    clearInterval(sampler);
    sampler = null;
    results.memory = summarizeMemory(rssSamples);
    for (const node of servers) await node.stop();
  } finally {
    if (sampler) clearInterval(sampler);
    await clients?.close().catch(() => undefined);
    for (const node of servers) await node.stop().catch(() => undefined);
    if (NODES > 1) await deleteRedisKeys(REDIS_URL, redisPrefix).catch((error: unknown) => log(`redis clean-up failed: ${(error as Error).message}`));
    await database.close();
    if (!args['keep-db']) await benchDb.drop();
    else log(`kept database ${benchDb.url}`);
    await rm(dataDir, { recursive: true, force: true });
  }

  if (!args['skip-collector']) {
    log('collector benchmark (bench/collector-bench.ts)');
    try {
      const collector = (await import('./collector-bench')) as { runCollectorBench?: () => Promise<Record<string, number>>; formatCollectorBench?: (results: Record<string, number>) => string };
      if (collector.runCollectorBench) {
        const collectorResults = await collector.runCollectorBench();
        results.collector = collectorResults;
        if (collector.formatCollectorBench) console.log(collector.formatCollectorBench(collectorResults));
      }
    } catch (error) {
      results.collector = { error: (error as Error).message };
      log(`  collector benchmark failed: ${(error as Error).message}`);
    }
  }

  results.meta = { ...(results.meta as object), seconds: round((Date.now() - startedAt) / 1000, 0) };
  const table = goalTable(results);
  results.goals = table;
  console.log(`\n${formatTable(table)}\n`);
  const directory = path.resolve('bench/results');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  const text = JSON.stringify(results, null, 2);
  await writeFile(file, text);
  await writeFile(path.join(directory, quick ? 'latest-quick.json' : 'latest.json'), text);
  log(`results: ${path.relative(process.cwd(), file)}`);
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const { createClient } = await import('redis');
  const redis = createClient({ url });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) if (keys.length > 0) await redis.del(keys);
  } finally {
    await redis.close();
  }
}

function meta(): Record<string, unknown> {
  const run = (command: string) => {
    try {
      return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    nodes: NODES,
    plan,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGb: round(os.totalmem() / 1024 ** 3),
    loadAverageAtStart: os.loadavg().map((value) => round(value, 2)),
    postgres: run(`psql "${process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'}" -XAtc "show server_version"`),
    commit: run('git rev-parse --short HEAD'),
    dirty: (run('git status --porcelain') ?? '').length > 0,
  };
}

function summarizeMemory(samples: RssSample[]): MemoryResult {
  const loaded = samples.filter((sample) => sample.phase === 'live' || sample.phase === 'soak');
  // The first third of the loaded window is warm-up (heap and caches growing to their working size).
  const loadedStart = loaded[0]?.t ?? 0;
  const loadedSpan = (loaded[loaded.length - 1]?.t ?? 0) - loadedStart;
  const steady = loaded.filter((sample) => sample.t >= loadedStart + loadedSpan / 3);
  const window = steady.length >= 2 ? steady : samples;
  const stats = (list: RssSample[]) => ({
    startMb: round(list[0]?.rssMb ?? NaN),
    endMb: round(list[list.length - 1]?.rssMb ?? NaN),
    maxMb: round(Math.max(...list.map((sample) => sample.rssMb))),
    slopeMbPerMin: round(slope(list.map((sample) => ({ x: sample.t / 60, y: sample.rssMb }))), 2),
  });
  const loadedWindowS = window.length >= 2 ? (window[window.length - 1] as RssSample).t - (window[0] as RssSample).t : 0;
  return {
    note: quick
      ? `--quick: RSS over the last ${Math.round(loadedWindowS)} s of ${Math.round(loadedSpan)} s at ${GOAL_RATE}/s (not 10 minutes)`
      : `RSS over the last ${Math.round(loadedWindowS)} s of ${Math.round(loadedSpan)} s at ${GOAL_RATE}/s with ${LIVE_CLIENTS} dashboards (--soak-minutes 10 for a 10-minute hold)`,
    loadedWindowS: round(loadedWindowS, 0),
    ...stats(window),
    wholeRun: stats(samples),
    samples,
  };
}

interface GoalRow {
  figure: string;
  measured: string;
  goal: string;
  met: boolean | null;
}

function goalTable(results: Record<string, unknown>): GoalRow[] {
  const rows: GoalRow[] = [];
  const ingest = results.ingest as IngestPhaseResult | undefined;
  if (ingest) {
    rows.push({
      figure: '1. ingest: highest sustained rate (p99 ≤ 100 ms, no errors)',
      measured: `${ingest.sustainedRate}/s`,
      goal: `≥ ${GOAL_RATE}/s (10,000 hosts / 60 s)`,
      met: ingest.sustainedRate >= GOAL_RATE,
    });
    const first = ingest.steps[0];
    if (first?.serverCpuMsPerSnapshot) {
      rows.push({
        figure: `1. server CPU per snapshot at ${first.targetRate}/s`,
        measured: `${round(first.serverCpuMsPerSnapshot, 1)} ms (one core ≈ ${Math.round(1000 / first.serverCpuMsPerSnapshot)}/s)`,
        goal: `≤ ${round(1000 / GOAL_RATE, 1)} ms for ${GOAL_RATE}/s on one core`,
        met: null,
      });
    }
    if (ingest.atGoal) {
      rows.push({
        figure: `1. ingest p99 at ${GOAL_RATE}/s`,
        measured: `${round(ingest.atGoal.latencyMs.p99)} ms (p50 ${round(ingest.atGoal.latencyMs.p50)} ms)`,
        goal: `< ${INGEST_P99_GOAL_MS} ms`,
        met: ingest.atGoal.latencyMs.p99 < INGEST_P99_GOAL_MS && ingest.atGoal.errors === 0,
      });
    }
  }
  const writePath = results.writePath as WritePathResult | undefined;
  if (writePath) {
    const rate = (prefix: string) => Math.round(writePath.methods.find((method) => method.method.startsWith(prefix))?.rowsPerSecond ?? NaN).toLocaleString('en');
    const share = (value: number) => `${round(value * 100, 0)}%`;
    rows.push({
      figure: '2. write path (all-changed rows) vs COPY',
      measured: `${rate('write path')} rows/s = ${share(writePath.writePathShareOfCopy)} of COPY ${rate('COPY')} (before: ${share(writePath.beforeShareOfCopy)})`,
      goal: `≥ ${WRITE_PATH_GOAL_SHARE * 100}% of COPY`,
      met: writePath.writePathShareOfCopy >= WRITE_PATH_GOAL_SHARE,
    });
    rows.push({
      figure: '2. whole ingest of all-changed snapshots (parse, diff, alerts)',
      measured: `HTTP ${rate('ingest over HTTP')} rows/s (${share(writePath.httpShareOfCopy)}), in-process ${rate('ingestSnapshot')} rows/s (${share(writePath.ingestShareOfCopy)})`,
      goal: '(for scale)',
      met: null,
    });
  }
  const live = results.live as LivePhaseResult | undefined;
  if (live) {
    const missing = live.live.expected - live.live.received;
    rows.push({
      figure: `3. live: 202 → event at ${LIVE_CLIENTS} clients, p99 (at ${GOAL_RATE}/s)`,
      measured: `${round(live.live.afterAcceptedMs.p99)} ms (POST sent → event p99 ${round(live.live.afterSentMs.p99)} ms${missing ? `, ${missing} events missing` : ''})`,
      goal: `< ${LIVE_P99_GOAL_MS} ms`,
      met: live.live.afterAcceptedMs.p99 < LIVE_P99_GOAL_MS && missing === 0,
    });
  }
  const diff = results.diff as DiffPhaseResult | undefined;
  if (diff) {
    rows.push({ figure: '4. diff 1,000 processes + 500 sockets, p99', measured: `${round(diff.changedMs.p99, 2)} ms`, goal: `< ${DIFF_P99_GOAL_MS} ms`, met: diff.changedMs.p99 < DIFF_P99_GOAL_MS });
  }
  for (const page of (results.pages as PageTiming[] | undefined) ?? []) {
    rows.push({
      figure: `5. page ${page.path === '/' ? '/ (fleet, 10,000 hosts)' : `${page.path} (2,000 sockets)`} p95`,
      measured: `${round(page.ms.p95)} ms${page.status === 200 ? '' : ` (HTTP ${page.status})`}`,
      goal: `< ${PAGE_P95_GOAL_MS} ms`,
      met: page.status === 200 && page.ms.p95 < PAGE_P95_GOAL_MS,
    });
  }
  const storage = results.storage as StoragePhaseResult | undefined;
  if (storage) {
    // The larger of the two: the growth comes out low when earlier phases left holes in the week partition (bench/README.md).
    const bytes = Math.max(storage.bytesPerSnapshot, storage.snapshotPartitionBytesPerRow || 0);
    rows.push({
      figure: '6. storage per unchanged snapshot',
      measured: `${Math.round(bytes)} bytes (growth ${Math.round(storage.bytesPerSnapshot)}, week partition ${Math.round(storage.snapshotPartitionBytesPerRow)} per row)`,
      goal: `< ${STORAGE_GOAL_BYTES} bytes`,
      met: bytes < STORAGE_GOAL_BYTES,
    });
  }
  const memory = results.memory as MemoryResult | undefined;
  if (memory) {
    rows.push({
      figure: `7. server RSS, steady load (last ${Math.round(memory.loadedWindowS)} s${quick ? ', --quick' : ''}${NODES > 1 ? `, ${NODES} nodes summed` : ''})`,
      measured: `start ${memory.startMb} MB, end ${memory.endMb} MB, max ${memory.maxMb} MB, slope ${memory.slopeMbPerMin} MB/min`,
      goal: 'flat (|slope| ≤ 1% of RSS a minute)',
      met: Math.abs(memory.slopeMbPerMin) <= Math.max(2, memory.startMb / 100),
    });
  }
  return rows;
}

function formatTable(rows: GoalRow[]): string {
  const header: [string, string, string, string] = ['figure', 'measured', 'goal', 'met'];
  const cells = rows.map((row): [string, string, string, string] => [row.figure, row.measured, row.goal, row.met === null ? '' : row.met ? 'yes' : 'NO']);
  const widths = [0, 1, 2, 3].map((column) => Math.max(header[column]?.length ?? 0, ...cells.map((row) => row[column]?.length ?? 0)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...cells.map(line)].join('\n');
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

