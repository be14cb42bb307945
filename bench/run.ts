// `npm run bench`: the performance goals of issues 11 and 12 in one run, each figure printed next to
// its goal, against the real PostgreSQL (a database created for the run and dropped after) and the
// real server (server.ts, NODE_ENV=production, the Next.js build in SOCKSCOPE_DIST_DIR), with a
// fleet that changes as real hosts do (the churn measured on this machine, bench/churn.ts).
//
//   npm run bench                      full run (about 15 minutes)
//   npm run bench -- --quick           a few minutes: 1,000 hosts post, shorter steps, a coarser year
//   npm run bench -- --measure-churn   measure this machine's churn again first (12 × 10 s), save it
//   npm run bench -- --mix old         the previous bench's mix (95% unchanged) instead of real churn
//   npm run bench -- --only hostile    only the named phases (comma-separated: diff, breakdown, ingest,
//                                      live, pages, storage, write-path, hostile, collector)
//
// Results: bench/results/<time>.json and bench/results/latest.json. Numbers on a shared 2-core
// machine are noisy: the run measures the CPU already in use before it starts and prints it.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setDatabase } from '@/lib/db/client';
import { openDatabase } from '@/lib/db/open-database';
import { churnAtInterval, describeChurn, loadChurn, measureChurn, saveChurn, type ChurnMeasurement } from './churn';
import { describePlan, oldMixPlan, realChurnPlan, replaceableRows, type ChurnPlan } from './churn-model';
import { buildBusyHost } from './fleet';
import { benchSections, HostRows, prepareProfile } from './host-model';
import { buildFleetModel, Fleet, postJson, runLoad } from './load-generator';
import { runDiffPhase, DIFF_P99_GOAL_MS, type DiffPhaseResult } from './phases/diff';
import { runHistoryPhase, DIFF_WEEK_P99_GOAL_MS, type HistoryPhaseResult } from './phases/history';
import {
  HOSTILE_P99_GOAL_MS,
  runBaselineWindow,
  runLargestSnapshotPhase,
  runSlowUploadsPhase,
  type LargestSnapshotResult,
  type SlowUploadsResult,
  type WindowResult,
} from './phases/hostile-hosts';
import { describeBreakdown, runIngestBreakdown } from './phases/ingest-breakdown';
import { INGEST_P99_GOAL_MS, INGEST_RATE_GOAL, runIngestPhase, type IngestPhaseResult, type IngestStep } from './phases/ingest';
import { LIVE_P99_GOAL_MS, LiveClients, runLivePhase, type LivePhaseResult } from './phases/live';
import { PAGE_P95_GOAL_MS, timePage, type PageTiming } from './phases/pages';
import { runStoragePhase, STORAGE_GOAL_BYTES, type StoragePhaseResult } from './phases/storage';
import { runWritePathPhase, WRITE_PATH_GOAL_SHARE, type WritePathResult } from './phases/write-path';
import { CpuMeter, readRssMb } from './proc';
import { buildDashboardIfStale } from './build-dashboard';
import { createBenchDatabase, seedFleet, type SeededHost } from './seed';
import { seedHostHistory, type HistoryShape, type SeededHistory } from './seed-history';
import { signIn, startBenchServer, type BenchServer } from './server';
import { round, slope } from './stats';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'measure-churn': { type: 'boolean', default: false },
    'churn-samples': { type: 'string', default: '13' },
    'churn-interval': { type: 'string', default: '10' },
    mix: { type: 'string', default: 'real' },
    'soak-minutes': { type: 'string' },
    'skip-collector': { type: 'boolean', default: false },
    'keep-db': { type: 'boolean', default: false },
    /** Run another checkout's server (with its build in --dist-dir), for before/after numbers in one sitting. */
    'server-dir': { type: 'string' },
    /** App nodes on this machine, sharing PostgreSQL and Redis (REDIS_URL); collectors and dashboards spread over them. */
    nodes: { type: 'string', default: '1' },
    'dist-dir': { type: 'string' },
    only: { type: 'string' },
    /** Other hosts' rate in phases 5 and 6 when phase 1 does not run to set it. */
    'others-rate': { type: 'string' },
  },
});
const quick = args.quick ?? false;
const PHASES = ['diff', 'breakdown', 'ingest', 'live', 'pages', 'storage', 'write-path', 'hostile', 'collector'] as const;
const onlyPhases = args.only?.split(',').map((name) => name.trim());
const unknownPhase = onlyPhases?.find((name) => !(PHASES as readonly string[]).includes(name));
if (unknownPhase) {
  console.error(`--only: no phase "${unknownPhase}" (phases: ${PHASES.join(', ')})`);
  process.exit(2);
}
/** Whether this run includes the phase (all of them unless --only names some). */
const runs = (phase: (typeof PHASES)[number]) => !onlyPhases || onlyPhases.includes(phase);

interface Plan {
  hosts: number;
  withData: number;
  rates: number[];
  stepS: number;
  liveS: number;
  soakS: number;
  pageRuns: number;
  diffRuns: number;
  storageSnapshots: number;
  storageRate: number;
  writeSnapshots: number;
  /** In-process ingests timed statement by statement. */
  breakdownSnapshots: number;
  diffIterations: number;
  /** Other hosts' rate while one host misbehaves, and the windows. */
  othersRate: number;
  hostileS: number;
  slowS: number;
  history: HistoryShape;
}

const plan: Plan = quick
  ? {
      hosts: 10_000,
      withData: 1000,
      rates: [20, 50, 167, 300],
      stepS: 8,
      liveS: 10,
      soakS: 10,
      pageRuns: 15,
      diffRuns: 40,
      storageSnapshots: 300,
      storageRate: 30,
      writeSnapshots: 40,
      breakdownSnapshots: 60,
      diffIterations: 500,
      othersRate: 30,
      hostileS: 15,
      slowS: 13,
      history: { days: 365, snapshotIntervalS: 600, detailedDays: 8, coarseIntervalS: 86_400 },
    }
  : {
      hosts: 10_000,
      withData: 10_000,
      rates: [10, 25, 50, 100, 167, 250, 350, 500, 700],
      stepS: 15,
      liveS: 30,
      soakS: 45,
      pageRuns: 40,
      diffRuns: 100,
      storageSnapshots: 1500,
      storageRate: 30,
      writeSnapshots: 60,
      breakdownSnapshots: 200,
      diffIterations: 2000,
      othersRate: 50,
      hostileS: 30,
      slowS: 14,
      history: { days: 365, snapshotIntervalS: 60, detailedDays: 7.25, coarseIntervalS: 21_600 },
    };
if (args['soak-minutes']) plan.soakS = Math.max(0, Number(args['soak-minutes']) * 60 - plan.liveS);
const LIVE_CLIENTS = 100;
const SLOW_UPLOADS = 33;
const NODES = Math.max(1, Math.min(8, Number(args.nodes) || 1));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GOAL_RATE = Math.round(INGEST_RATE_GOAL);
/** Extra hosts beside the fleet: seed check, write-path rows, write-path ingests (with data); COPY target, largest snapshot, slow uploads (without). */
const AUX = { check: 3, writeRows: 8, writeIngest: 8, breakdown: 40 };

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

async function churnPlan(model: ReturnType<typeof buildFleetModel>): Promise<{ plan: ChurnPlan; measurement: ChurnMeasurement | null }> {
  let measurement = await loadChurn();
  if (!measurement || args['measure-churn']) {
    log(`churn: measuring this machine with the built-in collector's gather, ${args['churn-samples']} samples ${args['churn-interval']} s apart`);
    measurement = await measureChurn({ samples: Number(args['churn-samples']), intervalS: Number(args['churn-interval']), log });
    await saveChurn(measurement);
  }
  for (const lag of measurement.lags) log(`  churn measured ${measurement.measuredAt} on ${measurement.host}: ${describeChurn(lag)}`);
  const chosen = args.mix === 'old' ? oldMixPlan() : realChurnPlan(measurement, replaceableRows(model.profiles));
  return { plan: chosen, measurement };
}

async function main(): Promise<void> {
  await buildDashboardIfStale();
  // Other work on the machine skews every figure: measure it first, while this bench is idle.
  const idleMeter = new CpuMeter(process.pid);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const backgroundCpuPercent = round(idleMeter.read().machinePercent, 0);
  const results: Record<string, unknown> = { meta: { ...meta(), backgroundCpuPercent } };
  log(
    `Sockscope bench (${quick ? 'quick' : 'full'}), build dir ${args['dist-dir'] ?? process.env.SOCKSCOPE_DIST_DIR ?? '.next'}` +
      `${args['server-dir'] ? ` in ${args['server-dir']}` : ''}; machine already ${backgroundCpuPercent}% busy before starting (other work), load average ${os
        .loadavg()
        .map((value) => round(value, 1))
        .join(' ')}`,
  );

  const model = buildFleetModel(100);
  const { plan: churn, measurement } = await churnPlan(model);
  results.churn = { measurement, plan: churn, atInterval: measurement ? churnAtInterval(measurement, 60) : null };
  log(`load: ${describePlan(churn)}`);
  for (const [part, source] of Object.entries(churn.sources)) log(`  ${part}: ${source}`);

  if (runs('diff')) {
    log('diff in memory: 1,000 processes + 500 sockets');
    const diff = runDiffPhase(plan.diffIterations);
    results.diff = diff;
    log(`  changed p50 ${round(diff.changedMs.p50, 2)} ms, p99 ${round(diff.changedMs.p99, 2)} ms; identical p99 ${round(diff.identicalMs.p99, 2)} ms`);
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-bench-'));
  const benchDb = await createBenchDatabase(quick ? 'quick' : 'full');
  const servers: BenchServer[] = [];
  const redisPrefix = `sockscope-bench-${process.pid}-${Date.now().toString(36)}`;
  let clients: LiveClients | null = null;
  const database = await openDatabase({ databaseUrl: benchDb.url, dataDir });
  // In-process figures take the server's path: its reads use this driver under Prisma (lib/db/client.ts).
  setDatabase(Promise.resolve(database));
  const rssSamples: RssSample[] = [];
  let phase = 'start';
  let sampler: NodeJS.Timeout | null = null;
  try {
    log(
      `database ${benchDb.name}: seeding ${plan.hosts.toLocaleString('en')} hosts, ${plan.withData.toLocaleString('en')} with their first snapshot (200 sockets, 400 processes, 8 interfaces, rows open)`,
    );
    const seedStarted = performance.now();
    const hosts = await seedFleet(benchDb.url, { hosts: plan.hosts, withData: plan.withData, profiles: model.profiles, log });
    const auxWithData = AUX.check + AUX.writeRows + AUX.writeIngest + AUX.breakdown;
    const aux = await seedFleet(benchDb.url, { hosts: auxWithData + 3, withData: auxWithData, profiles: model.profiles, namePrefix: 'aux' });
    const takeAux = (() => {
      let next = 0;
      return (count: number) => aux.slice(next, (next += count));
    })();
    const checkHosts = takeAux(AUX.check);
    const writeRowHosts = takeAux(AUX.writeRows);
    const writeIngestHosts = takeAux(AUX.writeIngest);
    const breakdownHosts = takeAux(AUX.breakdown);
    const [copyHost, bigHost, slowHost] = aux.slice(auxWithData) as [SeededHost, SeededHost, SeededHost];
    results.seed = { hosts: plan.hosts, withData: plan.withData, seconds: round((performance.now() - seedStarted) / 1000) };
    log(`  seeded in ${round((performance.now() - seedStarted) / 1000)} s`);

    const busyProfile = prepareProfile(999, buildBusyHost());
    const seedBusyHost = async (): Promise<SeededHistory> => {
      log(
        `busy host: a year of history (${busyProfile.sections.sockets.rows.length} sockets, ${busyProfile.sections.processes.rows.length} processes; ` +
          `snapshots every ${plan.history.snapshotIntervalS} s; rows changing at every snapshot for the last ${plan.history.detailedDays} days, every ${plan.history.coarseIntervalS / 3600} h before)`,
      );
      const seeded = await seedHostHistory(benchDb.url, {
        name: 'busy-host',
        profile: busyProfile,
        pool: model.pool,
        plan: churn,
        shape: plan.history,
        log,
      });
      results.history = { seeded };
      const historyRows = benchSections.reduce((sum, section) => sum + seeded.rows[section].closed + seeded.rows[section].open, 0);
      log(
        `  ${seeded.snapshots.toLocaleString('en')} snapshots, ${historyRows.toLocaleString('en')} rows (${seeded.churnPoints.toLocaleString('en')} snapshots with changes) in ${round(seeded.seconds)} s`,
      );
      return seeded;
    };
    const history: SeededHistory | null = runs('pages') ? await seedBusyHost() : null;

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
    const target = { url: urls, serverPid, databaseUrl: benchDb.url, databaseName: benchDb.name };
    const serverStarted = performance.now();
    sampler = setInterval(() => {
      const perNode = serverPid.map((pid) => readRssMb(pid));
      if (perNode.every((rss) => rss !== null))
        rssSamples.push({ t: (performance.now() - serverStarted) / 1000, rssMb: perNode.reduce((sum, rss) => (sum ?? 0) + (rss ?? 0), 0) ?? 0, phase });
    }, 1000);
    log(
      `${NODES === 1 ? 'server' : `${NODES} nodes (Redis prefix ${redisPrefix}):`} ${servers.map((node) => `pid ${node.process.pid} on ${node.url}`).join(', ')}`,
    );
    const session = await signIn(server.url);

    results.seedCheck = await checkSeededHosts(server.url, checkHosts, model);
    log(`  seed check: ${JSON.stringify(results.seedCheck)}`);

    if (runs('breakdown')) {
      log(
        `(1) where an ingest's time goes: ${plan.breakdownSnapshots} deltas and ${Math.round(plan.breakdownSnapshots / 4)} whole snapshots, in-process, statement by statement`,
      );
      const breakdownFleet = new Fleet(breakdownHosts, model, churn, 0);
      const breakdown = {
        delta: await runIngestBreakdown({ sql: database.sql, fleet: breakdownFleet, snapshots: plan.breakdownSnapshots, mode: 'delta' }),
        full: await runIngestBreakdown({ sql: database.sql, fleet: breakdownFleet, snapshots: Math.round(plan.breakdownSnapshots / 4), mode: 'full' }),
      };
      results.ingestBreakdown = breakdown;
      for (const line of [...describeBreakdown(breakdown.delta), ...describeBreakdown(breakdown.full)]) log(`  ${line}`);
    }

    const fleet = new Fleet(hosts.slice(0, plan.withData), model, churn);
    let ingest: IngestPhaseResult | null = null;
    if (runs('ingest')) {
      phase = 'ingest';
      log(
        `(1) ingest: ${plan.withData.toLocaleString('en')} virtual collectors, deltas stepped up (${plan.stepS} s steps), then whole snapshots at ${GOAL_RATE}/s`,
      );
      ingest = await runIngestPhase({ target, fleet, rates: plan.rates, stepS: plan.stepS, log });
      results.ingest = ingest;
    }

    if (runs('live')) {
      phase = 'live';
      log(`live: ${LIVE_CLIENTS} dashboards connected, collectors at ${GOAL_RATE}/s for ${plan.liveS} s`);
      clients = await LiveClients.start(urls, session.cookie, LIVE_CLIENTS);
      const live = await runLivePhase({ url: urls, fleet, clients, serverPid, rate: GOAL_RATE, durationS: plan.liveS });
      results.live = live;
      log(
        `  event after 202: p50 ${round(live.live.afterAcceptedMs.p50)} ms, p99 ${round(live.live.afterAcceptedMs.p99)} ms; after POST sent: p99 ${round(live.live.afterSentMs.p99)} ms; ` +
          `${live.live.received.toLocaleString('en')} of ${live.live.expected.toLocaleString('en')} events; ingest ${round(live.load.achievedRate)}/s, p99 ${round(live.load.latencyMs.p99)} ms, errors ${live.load.errors}`,
      );
      if (plan.soakS > 0) {
        phase = 'soak';
        log(`memory: holding ${GOAL_RATE}/s with the dashboards connected for ${plan.soakS} s more`);
        const soak = await runLoad(fleet, { url: urls, rate: GOAL_RATE, durationS: plan.soakS, tag: 'soak' });
        results.soak = soak;
        log(`  soak: ${round(soak.achievedRate)}/s, p99 ${round(soak.latencyMs.p99)} ms, errors ${soak.errors}`);
      }
      await clients.close();
      clients = null;
    }

    if (runs('pages') && history) {
      phase = 'pages';
      log('(3) pages and the busy host: fleet page, host page with a year of history, diffs a week apart');
      const fleetPage = await timePage(server.url, '/', session.cookie, plan.pageRuns);
      results.fleetPage = fleetPage;
      log(`  GET /: ${fleetPage.status}, ${Math.round(fleetPage.bytes / 1024)} KiB, p50 ${round(fleetPage.ms.p50)} ms, p95 ${round(fleetPage.ms.p95)} ms`);
      const historyResult = await runHistoryPhase({
        url: server.url,
        cookie: session.cookie,
        prisma: database.prisma,
        sql: database.sql,
        databaseUrl: benchDb.url,
        history,
        diffRuns: plan.diffRuns,
        pageRuns: plan.pageRuns,
      });
      results.history = { seeded: history, ...historyResult };
      log(
        `  diff a week apart (${history.weekSeqs.toLocaleString('en')} snapshots): in-process p50 ${round(historyResult.diffInProcessMs.p50, 1)} ms, p99 ${round(historyResult.diffInProcessMs.p99, 1)} ms; ` +
          `HTTP p99 ${round(historyResult.diffHttpMs.p99, 1)} ms (${historyResult.diffHttpStatus}); reading the ${historyResult.rowsPerDiff.toLocaleString('en')} rows that differ alone p50 ${round(historyResult.readChangesMs.p50, 1)} ms, p99 ${round(historyResult.readChangesMs.p99, 1)} ms; ` +
          `one diff: ${JSON.stringify(historyResult.sampleDiff)}`,
      );
      for (const page of [historyResult.page, historyResult.historyTab])
        log(`  GET ${page.path}: ${page.status}, ${Math.round(page.bytes / 1024)} KiB, p50 ${round(page.ms.p50)} ms, p95 ${round(page.ms.p95)} ms`);
      if ([fleetPage, historyResult.page, historyResult.historyTab].some((page) => page.status !== 200))
        log(`  server output (last 3 KB):\n${server.output().slice(-3000)}`);
    }

    if (runs('storage')) {
      phase = 'storage';
      log(`(2) storage: ${plan.storageSnapshots} snapshots at ${churn.mix} churn`);
      const storage = await runStoragePhase({ url: urls, databaseUrl: benchDb.url, fleet, snapshots: plan.storageSnapshots, rate: plan.storageRate });
      results.storage = storage;
      log(
        `  ${Math.round(storage.bytesPerSnapshot).toLocaleString('en')} bytes per snapshot (${round(storage.rowsReplacedPerSnapshot, 1)} rows replaced each: ${Math.round(storage.bytesPerReplacedRow)} bytes per replaced row); ` +
          `per table ${JSON.stringify(storage.perTable)}, of which _open partitions ${storage.openPartitions}; not ingest: ${JSON.stringify(storage.otherTables)}`,
      );
      const perReplacedRow = (bytes: number) => Math.round(bytes / Math.max(1, storage.rowsReplacedPerSnapshot * storage.snapshots));
      log(
        `  per replaced row, by relation: ${Object.entries(storage.perRelation)
          .sort((a, b) => b[1] - a[1])
          .map(([key, bytes]) => `${key} ${perReplacedRow(bytes)}`)
          .join(', ')}`,
      );
    }

    if (runs('write-path')) {
      phase = 'write-path';
      log(`(4) write path: ${plan.writeSnapshots} all-changed snapshots per method`);
      results.writePath = await runWritePathPhase({
        url: server.url,
        sql: database.sql,
        databaseUrl: benchDb.url,
        model,
        plan: churn,
        rowHosts: writeRowHosts,
        ingestHosts: writeIngestHosts,
        copyHost,
        snapshots: plan.writeSnapshots,
        log,
      });
    }

    if (runs('hostile')) {
      phase = 'hostile';
      // Other hosts at a rate the server holds (half the highest delta rate held, 10–50/s), so what the misbehaving host adds shows.
      const othersRate = args['others-rate']
        ? Number(args['others-rate'])
        : Math.max(10, Math.min(plan.othersRate, Math.floor((ingest?.sustainedRate ?? 2 * plan.othersRate) / 2)));
      log(`(5, 6) one host misbehaving while ${othersRate}/s of others post and /healthz is probed 10/s; baseline ${plan.hostileS} s first`);
      const baseline: WindowResult = await runBaselineWindow(server.url, fleet, othersRate, plan.hostileS);
      log(
        `  baseline: others p50 ${round(baseline.others.latencyMs.p50)} ms, p99 ${round(baseline.others.latencyMs.p99)} ms; /healthz p50 ${round(baseline.healthz.ms.p50)} ms, p99 ${round(baseline.healthz.ms.p99)} ms; ` +
          `the bench's own event-loop delay p99 ${round(baseline.others.clientDelayMs.p99)} ms, max ${round(baseline.others.clientDelayMs.max)} ms`,
      );
      log(`(6) ${SLOW_UPLOADS} slow uploads of one host (100 bytes, then silence) for ${plan.slowS} s`);
      const slow = await runSlowUploadsPhase({ url: server.url, fleet, slowHost, uploads: SLOW_UPLOADS, othersRate, durationS: plan.slowS });
      results.slowUploads = slow;
      log(
        `  others p50 ${round(slow.loaded.others.latencyMs.p50)} ms, p99 ${round(slow.loaded.others.latencyMs.p99)} ms (errors ${slow.loaded.others.errors}); /healthz p99 ${round(slow.loaded.healthz.ms.p99)} ms; ` +
          `the bench's own event-loop delay max ${round(slow.loaded.others.clientDelayMs.max)} ms; ` +
          `slow uploads answered ${JSON.stringify(slow.answers.statuses)}: 408 after ${round(slow.answers.ms408.max / 1000, 1)} s, 429 after p50 ${round(slow.answers.ms429.p50)} ms`,
      );

      log(`(5) the largest snapshot, posted again and again by one host, for ${plan.hostileS} s`);
      const largest = await runLargestSnapshotPhase({ url: server.url, fleet, bigHost, othersRate, durationS: plan.hostileS, baseline, log });
      results.largestSnapshot = { othersRate, ...largest };
      log(
        `  with it: others p50 ${round(largest.loaded.others.latencyMs.p50)} ms, p99 ${round(largest.loaded.others.latencyMs.p99)} ms (errors ${largest.loaded.others.errors}); ` +
          `/healthz p50 ${round(largest.loaded.healthz.ms.p50)} ms, p99 ${round(largest.loaded.healthz.ms.p99)} ms; the bench's own event-loop delay max ${round(largest.loaded.others.clientDelayMs.max)} ms; ` +
          `${largest.bigPosts.count} largest posts ${JSON.stringify(largest.bigPosts.statuses)}, each p50 ${round(largest.bigPosts.ms.p50 / 1000, 1)} s`,
      );
    }
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

  if (!args['skip-collector'] && runs('collector')) {
    log('collector benchmark (bench/collector-bench.ts)');
    try {
      const collector = (await import('./collector-bench')) as {
        runCollectorBench?: () => Promise<Record<string, number>>;
        formatCollectorBench?: (results: Record<string, number>) => string;
      };
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

/** Seeded hosts post their seeded content whole: the server must find every section unchanged (the seed matches what ingest stores). */
async function checkSeededHosts(
  url: string,
  hosts: readonly SeededHost[],
  model: ReturnType<typeof buildFleetModel>,
): Promise<{ checked: number; unchanged: number; firstProblem: string | null }> {
  let unchanged = 0;
  let firstProblem: string | null = null;
  for (const host of hosts) {
    const rows = new HostRows(model.profiles[host.profile % model.profiles.length] as (typeof model.profiles)[number], model.pool, host.index);
    const body =
      `{"version":1,"host":{"name":"${host.name}","os":"Linux 6.1.0-18-amd64 x86_64"},"collectedAt":"${new Date().toISOString()}","idempotencyKey":"${host.name}-seed-check",` +
      benchSections.map((section) => `"${section}":${rows.sectionJson(section)}`).join(',') +
      '}';
    const response = await postJson(`${url}/api/v1/snapshots`, { authorization: `Bearer ${host.token}` }, body);
    const answer = response.status === 202 ? (JSON.parse(response.text) as { changed: Record<string, boolean> }) : null;
    if (answer && Object.values(answer.changed).every((changed) => !changed)) unchanged += 1;
    else firstProblem ??= `${host.name}: ${response.status} ${response.text.slice(0, 200)}`;
  }
  return { checked: hosts.length, unchanged, firstProblem };
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
    mix: args.mix,
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
    note: `RSS over the last ${Math.round(loadedWindowS)} s of ${Math.round(loadedSpan)} s at ${GOAL_RATE}/s with ${LIVE_CLIENTS} dashboards (--soak-minutes 10 for a 10-minute hold)`,
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

const ms = (value: number) => `${round(value, value < 10 ? 1 : 0)} ms`;
const cpuPerSnapshot = (step: IngestStep) =>
  `server ${round(step.serverCpuMsPerSnapshot ?? NaN, 1)} ms + PostgreSQL ${round(step.postgresCpuMsPerSnapshot, 1)} ms`;

function goalTable(results: Record<string, unknown>): GoalRow[] {
  const rows: GoalRow[] = [];
  const churn = results.churn as { plan: ChurnPlan } | undefined;
  const mix = churn ? `${churn.plan.mix} churn, ${round(churn.plan.rowsPerSnapshot, 1)} rows replaced/snapshot` : '';
  const ingest = results.ingest as IngestPhaseResult | undefined;
  if (ingest) {
    const held = ingest.steps.find((step) => step.mode === 'delta' && step.targetRate === ingest.sustainedRate);
    const lowest = ingest.steps.find((step) => step.mode === 'delta');
    rows.push({
      figure: `1. ingest (delta), highest rate held (p99 ≤ ${INGEST_P99_GOAL_MS} ms, no errors), ${mix}`,
      measured: held
        ? `${ingest.sustainedRate}/s (p99 ${ms(held.latencyMs.p99)}; CPU/snapshot ${cpuPerSnapshot(held)})`
        : `none${lowest ? ` (lowest step ${lowest.targetRate}/s: p99 ${ms(lowest.latencyMs.p99)}, ${lowest.errors + lowest.dropped} errors; CPU/snapshot ${cpuPerSnapshot(lowest)})` : ''}`,
      goal: `≥ ${GOAL_RATE}/s (10,000 hosts / 60 s) on one node`,
      met: ingest.sustainedRate >= GOAL_RATE,
    });
    for (const step of [ingest.atGoal, ingest.fullAtGoal]) {
      if (!step) continue;
      rows.push({
        figure: `1. ingest (${step.mode}) at ${step.targetRate}/s: p99, errors; CPU per snapshot`,
        measured: `${round(step.achievedRate)}/s done, p50 ${ms(step.latencyMs.p50)}, p99 ${ms(step.latencyMs.p99)}, ${step.errors + step.dropped} errors; ${cpuPerSnapshot(step)}; ${Math.round(step.meanBodyBytes / 1024)} KiB/post`,
        goal: `p99 < ${INGEST_P99_GOAL_MS} ms, no errors`,
        met: step.latencyMs.p99 < INGEST_P99_GOAL_MS && step.errors + step.dropped === 0 && step.achievedRate >= step.targetRate * 0.95,
      });
    }
  }
  const storage = results.storage as StoragePhaseResult | undefined;
  if (storage) {
    rows.push({
      figure: `2. bytes stored per snapshot, 400 processes + 200 sockets host, ${round(storage.rowsReplacedPerSnapshot, 1)} rows replaced/snapshot`,
      measured: `${Math.round(storage.bytesPerSnapshot).toLocaleString('en')} bytes (${Math.round(storage.bytesPerReplacedRow)} per replaced row); without _open's growth ${Math.round(storage.bytesPerSnapshotWithoutOpen).toLocaleString('en')}`,
      goal: `≤ ${STORAGE_GOAL_BYTES.toLocaleString('en')} bytes`,
      met: storage.bytesPerSnapshot <= STORAGE_GOAL_BYTES,
    });
  }
  const history = results.history as (HistoryPhaseResult & { seeded: SeededHistory }) | undefined;
  if (history?.diffInProcessMs) {
    rows.push({
      figure: `3. diff of two snapshots a week apart (${history.weekSeqs.toLocaleString('en')} snapshots), busy host, p99`,
      measured: `${ms(history.diffInProcessMs.p99)} in-process (p50 ${ms(history.diffInProcessMs.p50)}); over HTTP p99 ${ms(history.diffHttpMs.p99)}`,
      goal: `< ${DIFF_WEEK_P99_GOAL_MS} ms`,
      met: history.diffInProcessMs.p99 < DIFF_WEEK_P99_GOAL_MS,
    });
    rows.push({
      figure: `3. host page with a year of history (${history.snapshots.toLocaleString('en')} snapshots), p95`,
      measured: `${ms(history.page.ms.p95)}${history.page.status === 200 ? '' : ` (HTTP ${history.page.status})`}; its history tab p95 ${ms(history.historyTab.ms.p95)}`,
      goal: `< ${PAGE_P95_GOAL_MS} ms`,
      met: history.page.status === 200 && history.page.ms.p95 < PAGE_P95_GOAL_MS && history.historyTab.ms.p95 < PAGE_P95_GOAL_MS,
    });
  }
  const writePath = results.writePath as WritePathResult | undefined;
  if (writePath) {
    const rate = (prefix: string) =>
      Math.round(writePath.methods.find((method) => method.method.startsWith(prefix))?.rowsPerSecond ?? NaN).toLocaleString('en');
    const share = (value: number) => `${round(value * 100, 0)}%`;
    const rounds = [1, 2].map(
      (round) =>
        `${rate(`write path: writeRowChanges, all rows changed (round ${round})`)} vs ${rate(`COPY of the same rows (psql \\copy, one transaction, round ${round})`)}`,
    );
    rows.push({
      figure: '4. write path of changed rows (all rows changed) vs COPY of the same rows',
      measured: `${share(writePath.writePathShareOfCopy)} of COPY (rows/s, round 1: ${rounds[0]}, ${share(writePath.writePathShareOfCopyPerRound[0] ?? NaN)}; round 2: ${rounds[1]}, ${share(writePath.writePathShareOfCopyPerRound[1] ?? NaN)})`,
      goal: `≥ ${WRITE_PATH_GOAL_SHARE * 100}% of COPY`,
      met: writePath.writePathShareOfCopy >= WRITE_PATH_GOAL_SHARE,
    });
    rows.push({
      figure: '4. whole ingest of all-changed snapshots (for scale)',
      measured: `HTTP ${rate('whole ingest over HTTP')} rows/s (${share(writePath.httpShareOfCopy)}), in-process ${rate('ingestValidSnapshot()')} rows/s (${share(writePath.ingestShareOfCopy)})`,
      goal: '',
      met: null,
    });
  }
  const hostile = (name: string, window: WindowResult, baselineWindow: WindowResult) => ({
    figure: name,
    measured:
      `others p99 ${ms(window.others.latencyMs.p99)} (baseline ${ms(baselineWindow.others.latencyMs.p99)}), ${window.others.errors + window.others.dropped} errors; ` +
      `/healthz p99 ${ms(window.healthz.ms.p99)} (baseline ${ms(baselineWindow.healthz.ms.p99)}), ${window.healthz.errors} errors`,
    goal: `< ${HOSTILE_P99_GOAL_MS} ms p99`,
    met: window.others.latencyMs.p99 < HOSTILE_P99_GOAL_MS && window.healthz.ms.p99 < HOSTILE_P99_GOAL_MS && window.others.errors + window.healthz.errors === 0,
  });
  const largest = results.largestSnapshot as LargestSnapshotResult | undefined;
  if (largest) {
    rows.push(
      hostile(
        `5. one host posting the largest snapshot (${largest.sockets.toLocaleString('en')} sockets + ${largest.processes.toLocaleString('en')} processes, ${(largest.bodyBytes / 2 ** 20).toFixed(1)} MiB; ${largest.bigPosts.count} posts)`,
        largest.loaded,
        largest.baseline,
      ),
    );
  }
  const slow = results.slowUploads as SlowUploadsResult | undefined;
  if (slow && largest) {
    rows.push({
      ...hostile(
        `6. one host opening ${slow.uploads} slow uploads (answered ${JSON.stringify(slow.answers.statuses)}, 408 after ${round(slow.answers.ms408.max / 1000, 1)} s)`,
        slow.loaded,
        largest.baseline,
      ),
    });
  }
  const live = results.live as LivePhaseResult | undefined;
  if (live) {
    const missing = live.live.expected - live.live.received;
    rows.push({
      figure: `live: 202 → event at ${LIVE_CLIENTS} dashboards, p99 (at ${GOAL_RATE}/s)`,
      measured: `${ms(live.live.afterAcceptedMs.p99)} (POST sent → event p99 ${ms(live.live.afterSentMs.p99)}${missing ? `, ${missing} events missing` : ''}); ingest ${round(live.load.achievedRate)}/s`,
      goal: `< ${LIVE_P99_GOAL_MS} ms`,
      met: live.live.afterAcceptedMs.p99 < LIVE_P99_GOAL_MS && missing === 0,
    });
  }
  const diff = results.diff as DiffPhaseResult | undefined;
  if (diff)
    rows.push({
      figure: 'diff in memory, 1,000 processes + 500 sockets, p99',
      measured: `${round(diff.changedMs.p99, 2)} ms`,
      goal: `< ${DIFF_P99_GOAL_MS} ms`,
      met: diff.changedMs.p99 < DIFF_P99_GOAL_MS,
    });
  const fleetPage = results.fleetPage as PageTiming | undefined;
  if (fleetPage) {
    rows.push({
      figure: 'fleet page / with 10,000 hosts, p95',
      measured: `${ms(fleetPage.ms.p95)}${fleetPage.status === 200 ? '' : ` (HTTP ${fleetPage.status})`}`,
      goal: `< ${PAGE_P95_GOAL_MS} ms`,
      met: fleetPage.status === 200 && fleetPage.ms.p95 < PAGE_P95_GOAL_MS,
    });
  }
  const memory = results.memory as MemoryResult | undefined;
  if (memory) {
    rows.push({
      figure: `server RSS at ${GOAL_RATE}/s (last ${Math.round(memory.loadedWindowS)} s${quick ? ', --quick' : ''})`,
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
