// The collector next to the tools it replaces, with every network namespace read and every
// executable hashed, as issue 14 states the goals:
//
//   one-shot  whole `node dist/collector.mjs snapshot` less node's own start (`node -e 0`), against
//             ss -tunap + ps -eo … + ip -d link + ip -o addr (whole processes; medians of interleaved
//             rounds, so that load on the machine hits both alike)                    goal ≤ 1.5×
//             Steady: each run after the first, its cache directory (compiled code, digests, the
//             package list) kept from the run before; first: each run with an empty one.
//   daemon    one snapshot (gather, JSON, delta, GC: as `run` does each interval) once every binary is hashed,
//             against the same tools                                                 goal ≤ 1×
//   RSS       peak of the one-shot process (first and steady) and of the real daemon,
//             `node dist/collector.mjs run` posting to a real server (a Sockscope server on a
//             database of its own), over its first snapshots                       goal < 80 MB
//   hashing   what the first snapshot hashes, and how many snapshots every binary takes
//
// Wall times decide the goals, as the issue states them; CPU times (user + system) are printed beside
// them because other work on a shared machine sways them far less.
//
// Scenarios: the machine as it is; with 2,000 extra loopback sockets and 500 extra processes; and
// (as root) with 20 extra network namespaces, each with a process in it.
//
//   npx tsx bench/collector-bench.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { cpus, hostname, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { sanitizeHostName } from '../collector/gather/linux/system-files';
import { buildDashboardIfStale } from './build-dashboard';
import { createBenchDatabase } from './seed';
import { type BenchServer, signIn, startBenchServer } from './server';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLLECTOR = join(REPO_ROOT, 'dist', 'collector.mjs');
const ROUNDS = 15;
const RSS_RUNS = 3;
const MAX_SNAPSHOTS_TO_HASH_ALL = 500;
const EXTRA_LISTENERS = 400;
const EXTRA_CONNECTIONS = 800; // each one is two sockets: the client end and the accepted end
const EXTRA_PROCESSES = 500;
const EXTRA_NAMESPACES = 20;
const ONE_SHOT_GOAL = 1.5;
const DAEMON_GOAL = 1;
const RSS_GOAL_MB = 80;
/** The real daemon: snapshots sent, and seconds between them (production's 60 s would make a run of minutes). */
const RUN_DAEMON_SNAPSHOTS = 6;
const RUN_DAEMON_INTERVAL_S = 5;

const TOOLS: ReadonlyArray<{ key: string; label: string; command: string; args: string[] }> = [
  { key: 'ss', label: 'ss -tunap', command: 'ss', args: ['-tunap'] },
  { key: 'ps', label: 'ps -eo pid,ppid,user,uid,lstart,args', command: 'ps', args: ['-eo', 'pid,ppid,user,uid,lstart,args'] },
  { key: 'ipLink', label: 'ip -d link', command: 'ip', args: ['-d', 'link'] },
  { key: 'ipAddr', label: 'ip -o addr', command: 'ip', args: ['-o', 'addr'] },
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

// The daemon's work: one long-lived process collecting (gather, JSON, delta, and the garbage collection
// before it sleeps: as `run` does each interval) with
// one digest cache throughout, one snapshot per `collect` line on stdin, answering each with a JSON
// line; `exit` answers with its peak RSS (VmHWM, see RSS_PROBE_SOURCE). The benchmark interleaves
// its snapshots with the tool runs, so that load on the machine hits both alike. Bundled like
// dist/collector.mjs and run with plain node, so its RSS is the collector's and not tsx's.
const DAEMON_SOURCE = `
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { finishSnapshot } from './collector/build-snapshot';
import { keepYoungGenerationSmall, releaseMemory } from './collector/daemon-memory';
import { DeltaEncoder } from './collector/delta';
import { ExecutableHashCache } from './collector/gather/linux/executable-hashes';
import { gatherLinuxSnapshot } from './collector/gather/linux/index';
keepYoungGenerationSmall();
const cache = new ExecutableHashCache();
const encoder = new DeltaEncoder();
let sent = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'exit') {
    const peakRssKb = Number(/^VmHWM:\\s*(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    process.stdout.write(JSON.stringify({ peakRssKb, binaries: cache.size }) + '\\n');
    break;
  }
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const body = await gatherLinuxSnapshot({ hashCache: cache });
  // As run does: the snapshot spooled as JSON, read back and sent as its changes since the last one.
  const spooled = JSON.parse(JSON.stringify(finishSnapshot(body, { collectedAt: new Date() })));
  JSON.stringify(encoder.encode(spooled));
  encoder.acknowledge(spooled, String(++sent));
  releaseMemory();
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(JSON.stringify({
    ms: performance.now() - startedAt,
    cpuMs: (cpu.user + cpu.system) / 1000,
    hash: cache.lastReport,
    sockets: body.sockets.length,
    processes: body.processes.length,
    interfaces: body.interfaces.length,
    namespaces: new Set(body.processes.map((row) => row.netns).filter((netns) => netns !== null)).size,
  }) + '\\n');
}
`;

interface HashingReport {
  bytesHashed: number;
  filesHashed: number;
  filesPending: number;
  milliseconds: number;
}

interface DaemonSnapshot {
  ms: number;
  cpuMs: number;
  hash: HashingReport;
  sockets: number;
  processes: number;
  interfaces: number;
  namespaces: number;
}

/** A running daemon child, asked for one snapshot at a time. */
class Daemon {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined;

  constructor(script: string) {
    this.child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (this.waiting === undefined) this.lines.push(line);
        else {
          this.waiting.resolve(line);
          this.waiting = undefined;
        }
      }
    });
    this.child.once('exit', (code) => this.waiting?.reject(new Error(`daemon child exited with ${code}`)));
  }

  private async ask(command: string): Promise<string> {
    this.child.stdin?.write(`${command}\n`);
    const ready = this.lines.shift();
    if (ready !== undefined) return ready;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async collect(): Promise<DaemonSnapshot> {
    return JSON.parse(await this.ask('collect')) as DaemonSnapshot;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async exit(): Promise<{ peakRssKb: number; binaries: number }> {
    const report = JSON.parse(await this.ask('exit')) as { peakRssKb: number; binaries: number };
    this.child.stdin?.end();
    return report;
  }
}

interface DaemonReport {
  first: DaemonSnapshot;
  snapshotsToHashAll: number;
  steadyMs: number;
  steadyCpuMs: number;
  steadyHashMs: number;
  peakRssKb: number;
  binaries: number;
}

// Loaded with --import into a one-shot run (not a timed one): reports the process's peak RSS on fd 3.
// VmHWM, not getrusage's maxRSS: Linux carries the forking parent's peak across exec into the
// child's maxRSS, so every child of a 100 MB benchmark process would report at least 100 MB.
const RSS_PROBE_SOURCE = `
import { readFileSync, writeSync } from 'node:fs';
process.on('exit', () => writeSync(3, /^VmHWM:\\s*(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'NaN'));
`;

interface Scripts {
  daemon: string;
  rssProbe: string;
}

async function writeScripts(directory: string): Promise<Scripts> {
  const daemon = join(directory, 'daemon.mjs');
  await build({
    stdin: { contents: DAEMON_SOURCE, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'daemon.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: daemon,
    logLevel: 'error',
  });
  const rssProbe = join(directory, 'rss-probe.mjs');
  writeFileSync(rssProbe, RSS_PROBE_SOURCE);
  return { daemon, rssProbe };
}

function buildCollector(): void {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-collector.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build:collector failed: ${result.stderr}`);
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU time (user + system) of our children that have been waited for: /proc/self/stat's cutime and cstime. */
function waitedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
}

/**
 * Wall time of one whole process, its output read in full as a collector reading it would, and its
 * CPU time (in clock ticks of 10 ms: only a mean over many runs says much).
 */
function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): { wallMs: number; cpuMs: number } {
  const cpuBefore = waitedChildrenCpuMs();
  const startedAt = performance.now();
  const result = spawnSync(command, args, { maxBuffer: 256 * 1024 * 1024, env });
  const wallMs = performance.now() - startedAt;
  if (result.error !== undefined) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  return { wallMs, cpuMs: waitedChildrenCpuMs() - cpuBefore };
}

function peakRssMb(rssProbe: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(rssProbe).href, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env,
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`);
  return Number(result.output[3]?.toString()) / 1024;
}

/** A Sockscope server on a database of its own, with this machine enrolled: what the real daemon posts to. */
interface DaemonTarget {
  server: BenchServer;
  token: string;
  close: () => Promise<void>;
}

async function startDaemonTarget(directory: string): Promise<DaemonTarget> {
  const database = await createBenchDatabase('collector');
  let server: BenchServer | undefined;
  try {
    server = await startBenchServer({ env: { DATABASE_URL: database.url, DATA_DIR: join(directory, 'server-data') } });
    const session = await signIn(server.url);
    // The collector reports this machine under its host name; its token must be that host's.
    const name = sanitizeHostName(hostname());
    const response = await fetch(`${server.url}/api/v1/hosts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ name }),
    });
    if (response.status !== 201) throw new Error(`enrolling ${name}: ${response.status} ${await response.text()}`);
    const { token } = (await response.json()) as { token: string };
    const started = server;
    return {
      server: started,
      token,
      close: async () => {
        await started.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await server?.stop();
    await database.drop();
    throw error;
  }
}

/**
 * Peak RSS (VmHWM) of `node dist/collector.mjs run` over its first snapshots, each one sent and
 * answered (the first whole, the next as deltas), as a freshly started daemon on this host would.
 */
async function runDaemonPeakRssMb(target: DaemonTarget, directory: string): Promise<number> {
  const runDirectory = mkdtempSync(join(directory, 'run-'));
  const child = spawn(
    process.execPath,
    [COLLECTOR, 'run', '--server', target.server.url, '--token', target.token, '--interval', String(RUN_DAEMON_INTERVAL_S)],
    {
      env: { ...process.env, SOCKSCOPE_CACHE_DIR: join(runDirectory, 'cache'), SOCKSCOPE_SPOOL_DIR: join(runDirectory, 'spool') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`the daemon sent fewer than ${RUN_DAEMON_SNAPSHOTS} snapshots in time:\n${output}`)),
        (RUN_DAEMON_SNAPSHOTS * RUN_DAEMON_INTERVAL_S + 60) * 1000,
      );
      const onOutput = (chunk: Buffer) => {
        output += chunk.toString();
        if (/refused|could not send/.test(output)) {
          clearTimeout(timeout);
          reject(new Error(`the daemon's snapshots did not go through:\n${output}`));
        } else if ((output.match(/ sent .*HTTP 20[02]/g) ?? []).length >= RUN_DAEMON_SNAPSHOTS) {
          clearTimeout(timeout);
          resolve();
        }
      };
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      child.once('exit', (code) => {
        clearTimeout(timeout);
        reject(new Error(`the daemon exited with ${code}:\n${output}`));
      });
    });
    return Number(/^VmHWM:\s*(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

interface Measurement {
  nodeStartMs: number;
  /** Steady one-shot runs: the cache directory as the run before left it. */
  oneShotMs: number;
  /** First one-shot runs: an empty cache directory each. */
  oneShotFirstMs: number;
  toolMs: Record<string, number>;
  toolsMs: number;
  /** Means of CPU time (user + system) per run: less swayed by other work on the machine than wall time. */
  nodeStartCpuMs: number;
  oneShotCpuMs: number;
  oneShotFirstCpuMs: number;
  toolsCpuMs: number;
  oneShotRssMb: number;
  oneShotFirstRssMb: number;
  nodeRssMb: number;
  /** `node dist/collector.mjs run` posting to a real server. */
  runDaemonRssMb: number;
  daemon: DaemonReport;
}

/** The one-shot's environment with a cache directory of the benchmark's own, never the user's. */
function withCacheDirectory(directory: string): NodeJS.ProcessEnv {
  return { ...process.env, SOCKSCOPE_CACHE_DIR: directory };
}

async function measure(scripts: Scripts, directory: string, target: DaemonTarget): Promise<Measurement> {
  const daemon = new Daemon(scripts.daemon);
  try {
    return { ...(await measureWith(daemon, scripts, directory)), runDaemonRssMb: await runDaemonPeakRssMb(target, directory) };
  } finally {
    // A run that failed midway must not leave the daemon behind.
    daemon.kill();
  }
}

async function measureWith(daemon: Daemon, scripts: Scripts, directory: string): Promise<Omit<Measurement, 'runDaemonRssMb'>> {
  const steadyCache = withCacheDirectory(mkdtempSync(join(directory, 'steady-cache-')));
  const emptyCache = () => withCacheDirectory(mkdtempSync(join(directory, 'first-cache-')));
  // The run that fills the steady cache directory is a first run, and not timed.
  runProcess(process.execPath, [COLLECTOR, 'snapshot'], steadyCache);
  // The daemon's first snapshot, then as many as it takes to hash every binary.
  const first = await daemon.collect();
  let latest = first;
  let snapshotsToHashAll = 1;
  while (latest.hash.filesPending > 0 && snapshotsToHashAll < MAX_SNAPSHOTS_TO_HASH_ALL) {
    latest = await daemon.collect();
    snapshotsToHashAll += 1;
  }
  const runs: Record<string, number[]> = {
    node: [],
    oneShot: [],
    oneShotFirst: [],
    daemon: [],
    daemonCpu: [],
    daemonHash: [],
    ...Object.fromEntries(TOOLS.map((tool) => [tool.key, []])),
  };
  const cpuMs = { node: 0, oneShot: 0, oneShotFirst: 0, tools: 0 };
  for (let round = 0; round < ROUNDS; round += 1) {
    const node = runProcess(process.execPath, ['-e', '0']);
    runs.node?.push(node.wallMs);
    cpuMs.node += node.cpuMs;
    const oneShot = runProcess(process.execPath, [COLLECTOR, 'snapshot'], steadyCache);
    runs.oneShot?.push(oneShot.wallMs);
    cpuMs.oneShot += oneShot.cpuMs;
    const oneShotFirst = runProcess(process.execPath, [COLLECTOR, 'snapshot'], emptyCache());
    runs.oneShotFirst?.push(oneShotFirst.wallMs);
    cpuMs.oneShotFirst += oneShotFirst.cpuMs;
    for (const tool of TOOLS) {
      const toolRun = runProcess(tool.command, tool.args);
      runs[tool.key]?.push(toolRun.wallMs);
      cpuMs.tools += toolRun.cpuMs;
    }
    const steady = await daemon.collect();
    runs.daemon?.push(steady.ms);
    runs.daemonCpu?.push(steady.cpuMs);
    runs.daemonHash?.push(steady.hash.milliseconds);
  }
  const { peakRssKb, binaries } = await daemon.exit();
  const toolMs = Object.fromEntries(TOOLS.map((tool) => [tool.key, median(runs[tool.key] ?? [])]));
  return {
    nodeStartMs: median(runs.node ?? []),
    oneShotMs: median(runs.oneShot ?? []),
    oneShotFirstMs: median(runs.oneShotFirst ?? []),
    toolMs,
    toolsMs: Object.values(toolMs).reduce((sum, ms) => sum + ms, 0),
    nodeStartCpuMs: cpuMs.node / ROUNDS,
    oneShotCpuMs: cpuMs.oneShot / ROUNDS,
    oneShotFirstCpuMs: cpuMs.oneShotFirst / ROUNDS,
    toolsCpuMs: cpuMs.tools / ROUNDS,
    oneShotRssMb: Math.max(...Array.from({ length: RSS_RUNS }, () => peakRssMb(scripts.rssProbe, [COLLECTOR, 'snapshot'], steadyCache))),
    oneShotFirstRssMb: Math.max(...Array.from({ length: RSS_RUNS }, () => peakRssMb(scripts.rssProbe, [COLLECTOR, 'snapshot'], emptyCache()))),
    nodeRssMb: peakRssMb(scripts.rssProbe, ['-e', '0']),
    daemon: {
      first,
      snapshotsToHashAll: latest.hash.filesPending === 0 ? snapshotsToHashAll : -1,
      steadyMs: median(runs.daemon ?? []),
      steadyCpuMs: runs.daemonCpu === undefined ? Number.NaN : runs.daemonCpu.reduce((sum, ms) => sum + ms, 0) / ROUNDS,
      steadyHashMs: median(runs.daemonHash ?? []),
      peakRssKb,
      binaries,
    },
  };
}

/** Everything the benchmark opens or starts, so that it can all be closed again. */
class ExtraLoad {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly children: ChildProcess[] = [];
  private readonly namespaces: string[] = [];

  async openSockets(): Promise<void> {
    for (let index = 0; index < EXTRA_LISTENERS; index += 1) {
      const server = createServer((socket) => this.sockets.push(socket));
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0 }, resolve);
      });
    }
    const acceptedBefore = this.sockets.length;
    for (let index = 0; index < EXTRA_CONNECTIONS; index += 1) {
      const server = this.servers[index % this.servers.length];
      if (server === undefined) continue;
      const { port } = server.address() as AddressInfo;
      const client = await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
      this.sockets.push(client);
    }
    while (this.sockets.length - acceptedBefore < 2 * EXTRA_CONNECTIONS) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async startChild(command: string, args: string[]): Promise<void> {
    const child = spawn(command, args, { stdio: 'ignore' });
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  async startProcesses(): Promise<void> {
    for (let index = 0; index < EXTRA_PROCESSES; index += 1) await this.startChild('sleep', ['600']);
  }

  /** Namespaces of our own, each with a process in it (a namespace without one is invisible through /proc). */
  async createNamespaces(): Promise<void> {
    const prefix = `ssc-bench-${randomBytes(3).toString('hex')}`;
    for (let index = 0; index < EXTRA_NAMESPACES; index += 1) {
      const name = `${prefix}-${index}`;
      if (spawnSync('ip', ['netns', 'add', name]).status !== 0) throw new Error(`ip netns add ${name} failed`);
      this.namespaces.push(name);
      spawnSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      await this.startChild('ip', ['netns', 'exec', name, 'sleep', '600']);
    }
  }

  /** Synchronous, so it can also run from an exit handler. */
  removeSynchronously(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const name of this.namespaces) spawnSync('ip', ['netns', 'del', name]);
    this.namespaces.length = 0;
  }

  async close(): Promise<void> {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(
      this.children.map((child) =>
        child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    this.removeSynchronously();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    this.children.length = 0;
    this.sockets.length = 0;
    this.servers.length = 0;
  }
}

function toRecord(prefix: string, measurement: Measurement): Record<string, number> {
  const { daemon } = measurement;
  const { first } = daemon;
  const oneShotOwnMs = measurement.oneShotMs - measurement.nodeStartMs;
  const oneShotFirstOwnMs = measurement.oneShotFirstMs - measurement.nodeStartMs;
  return {
    [`${prefix}.sockets`]: first.sockets,
    [`${prefix}.processes`]: first.processes,
    [`${prefix}.interfaces`]: first.interfaces,
    [`${prefix}.namespaces`]: first.namespaces,
    [`${prefix}.binaries`]: daemon.binaries,
    [`${prefix}.nodeStartMs`]: measurement.nodeStartMs,
    [`${prefix}.oneShotMs`]: measurement.oneShotMs,
    [`${prefix}.oneShotOwnMs`]: oneShotOwnMs,
    ...Object.fromEntries(Object.entries(measurement.toolMs).map(([key, ms]) => [`${prefix}.${key}Ms`, ms])),
    [`${prefix}.toolsMs`]: measurement.toolsMs,
    [`${prefix}.oneShotRatio`]: oneShotOwnMs / measurement.toolsMs,
    [`${prefix}.oneShotFirstMs`]: measurement.oneShotFirstMs,
    [`${prefix}.oneShotFirstOwnMs`]: oneShotFirstOwnMs,
    [`${prefix}.oneShotFirstRatio`]: oneShotFirstOwnMs / measurement.toolsMs,
    [`${prefix}.oneShotFirstCpuMs`]: measurement.oneShotFirstCpuMs,
    [`${prefix}.oneShotFirstCpuRatio`]: (measurement.oneShotFirstCpuMs - measurement.nodeStartCpuMs) / measurement.toolsCpuMs,
    [`${prefix}.oneShotCpuMs`]: measurement.oneShotCpuMs,
    [`${prefix}.nodeStartCpuMs`]: measurement.nodeStartCpuMs,
    [`${prefix}.oneShotOwnCpuMs`]: measurement.oneShotCpuMs - measurement.nodeStartCpuMs,
    [`${prefix}.toolsCpuMs`]: measurement.toolsCpuMs,
    [`${prefix}.oneShotCpuRatio`]: (measurement.oneShotCpuMs - measurement.nodeStartCpuMs) / measurement.toolsCpuMs,
    [`${prefix}.daemonFirstMs`]: first.ms,
    [`${prefix}.daemonSteadyMs`]: daemon.steadyMs,
    [`${prefix}.daemonRatio`]: daemon.steadyMs / measurement.toolsMs,
    [`${prefix}.daemonSteadyCpuMs`]: daemon.steadyCpuMs,
    [`${prefix}.daemonCpuRatio`]: daemon.steadyCpuMs / measurement.toolsCpuMs,
    [`${prefix}.hashFirstMs`]: first.hash.milliseconds,
    [`${prefix}.hashFirstMiB`]: first.hash.bytesHashed / 1024 / 1024,
    [`${prefix}.hashFirstFiles`]: first.hash.filesHashed,
    [`${prefix}.hashFirstPending`]: first.hash.filesPending,
    [`${prefix}.snapshotsToHashAll`]: daemon.snapshotsToHashAll,
    [`${prefix}.hashSteadyMs`]: daemon.steadyHashMs,
    [`${prefix}.oneShotRssMb`]: measurement.oneShotRssMb,
    [`${prefix}.oneShotFirstRssMb`]: measurement.oneShotFirstRssMb,
    [`${prefix}.daemonWorkRssMb`]: daemon.peakRssKb / 1024,
    [`${prefix}.daemonRssMb`]: measurement.runDaemonRssMb,
    [`${prefix}.nodeRssMb`]: measurement.nodeRssMb,
  };
}

const SCENARIOS = [
  { key: 'baseline', label: 'as is' },
  { key: 'loaded', label: `+${2 * EXTRA_CONNECTIONS + EXTRA_LISTENERS} sockets, +${EXTRA_PROCESSES} processes` },
  { key: 'namespaces', label: `+${EXTRA_NAMESPACES} network namespaces` },
] as const;

/** Runs every scenario and returns flat numbers (for a suite runner to write as JSON). Cleans up after itself. */
export async function runCollectorBench(): Promise<Record<string, number>> {
  // Other work on the machine slows tools and collector alike; the load average before we start says how much there was.
  const loadAverageAtStart = loadavg()[0] ?? 0;
  const directory = mkdtempSync(join(tmpdir(), 'sockscope-collector-bench-'));
  let load = new ExtraLoad();
  // The children, namespaces and temporary directory must not outlive an interrupted run: remove
  // them, then let the signal do its usual work.
  const removeSynchronously = () => {
    load.removeSynchronously();
    rmSync(directory, { recursive: true, force: true });
  };
  const killOnSignal = (signal: NodeJS.Signals) => {
    removeSynchronously();
    process.kill(process.pid, signal);
  };
  process.once('exit', removeSynchronously);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);
  let target: DaemonTarget | undefined;
  try {
    buildCollector();
    // The server the real daemon posts to runs the dashboard's build.
    await buildDashboardIfStale();
    const scripts = await writeScripts(directory);
    target = await startDaemonTarget(directory);
    const results: Record<string, number> = { loadAverage1m: loadAverageAtStart, cpus: cpus().length };
    Object.assign(results, toRecord('baseline', await measure(scripts, directory, target)));
    await load.openSockets();
    await load.startProcesses();
    Object.assign(results, toRecord('loaded', await measure(scripts, directory, target)));
    await load.close();
    if (process.getuid?.() === 0) {
      load = new ExtraLoad();
      await load.createNamespaces();
      Object.assign(results, toRecord('namespaces', await measure(scripts, directory, target)));
    }
    return results;
  } finally {
    await load.close();
    await target?.close();
    process.removeListener('exit', removeSynchronously);
    process.removeListener('SIGINT', killOnSignal);
    process.removeListener('SIGTERM', killOnSignal);
    rmSync(directory, { recursive: true, force: true });
  }
}

const ms = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(1)} ms`);
const mb = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(1)} MB`);
const times = (value: number | undefined) => (value === undefined ? '' : `${value.toFixed(2)}×`);

export function formatCollectorBench(results: Record<string, number>): string {
  const scenarios = SCENARIOS.filter((scenario) => results[`${scenario.key}.oneShotMs`] !== undefined);
  const cell = (key: string, format: (value: number | undefined) => string) => scenarios.map((scenario) => format(results[`${scenario.key}.${key}`]));
  const verdict = (key: string, isMet: (value: number) => boolean) =>
    scenarios.map((scenario) => {
      const value = results[`${scenario.key}.${key}`];
      return value === undefined ? '' : isMet(value) ? 'met' : 'MISSED';
    });
  const rows: string[][] = [
    ['', ...scenarios.map((scenario) => scenario.label), 'goal'],
    [
      'sockets / processes / interfaces / namespaces / binaries',
      ...scenarios.map((scenario) =>
        ['sockets', 'processes', 'interfaces', 'namespaces', 'binaries'].map((key) => results[`${scenario.key}.${key}`]).join(' / '),
      ),
      '',
    ],
    ['one-shot, steady: node dist/collector.mjs snapshot (median)', ...cell('oneShotMs', ms), ''],
    ['  node -e 0 (median)', ...cell('nodeStartMs', ms), ''],
    ["  the collector's own work (difference)", ...cell('oneShotOwnMs', ms), ''],
    ...TOOLS.map((tool) => [`${tool.label} (median)`, ...cell(`${tool.key}Ms`, ms), '']),
    ['tools together', ...cell('toolsMs', ms), ''],
    ['one-shot own work / tools, steady', ...cell('oneShotRatio', times), `≤ ${ONE_SHOT_GOAL}×`],
    ['', ...verdict('oneShotRatio', (value) => value <= ONE_SHOT_GOAL), ''],
    [
      '  CPU (user + sys, mean): one-shot / node -e 0 / tools',
      ...scenarios.map((scenario) => ['oneShotCpuMs', 'nodeStartCpuMs', 'toolsCpuMs'].map((key) => ms(results[`${scenario.key}.${key}`])).join(' / ')),
      '',
    ],
    ['  one-shot own CPU / tools CPU', ...cell('oneShotCpuRatio', times), ''],
    ['one-shot, first run (empty cache directory; median)', ...cell('oneShotFirstMs', ms), ''],
    ["  the collector's own work (difference)", ...cell('oneShotFirstOwnMs', ms), ''],
    ['  first run own work / tools', ...cell('oneShotFirstRatio', times), ''],
    ['  first run own CPU / tools CPU', ...cell('oneShotFirstCpuRatio', times), ''],
    ['daemon: first snapshot (gather, JSON, delta; hashing)', ...cell('daemonFirstMs', ms), ''],
    ['daemon: steady snapshot, every binary hashed (median, interleaved)', ...cell('daemonSteadyMs', ms), ''],
    ['daemon steady / tools', ...cell('daemonRatio', times), `≤ ${DAEMON_GOAL}×`],
    ['', ...verdict('daemonRatio', (value) => value <= DAEMON_GOAL), ''],
    ['  CPU: daemon steady snapshot (mean) / tools CPU', ...cell('daemonSteadyCpuMs', ms), ''],
    ['  daemon steady CPU / tools CPU', ...cell('daemonCpuRatio', times), ''],
    [
      'hashing in the first snapshot',
      ...scenarios.map((scenario) => {
        const value = (key: string) => results[`${scenario.key}.${key}`] ?? Number.NaN;
        return `${value('hashFirstMs').toFixed(1)} ms, ${value('hashFirstMiB').toFixed(1)} MiB, ${value('hashFirstFiles')} done, ${value('hashFirstPending')} left`;
      }),
      'budget',
    ],
    ['snapshots until every binary is hashed', ...cell('snapshotsToHashAll', (value) => (value === undefined ? '' : value < 0 ? 'never' : String(value))), ''],
    ['hashing in a steady snapshot', ...cell('hashSteadyMs', ms), ''],
    ['peak RSS, one-shot steady (highest of 3)', ...cell('oneShotRssMb', mb), `< ${RSS_GOAL_MB} MB`],
    ['', ...verdict('oneShotRssMb', (value) => value < RSS_GOAL_MB), ''],
    ['peak RSS, one-shot first run (highest of 3)', ...cell('oneShotFirstRssMb', mb), `< ${RSS_GOAL_MB} MB`],
    ['', ...verdict('oneShotFirstRssMb', (value) => value < RSS_GOAL_MB), ''],
    [
      `peak RSS, daemon: \`run\` posting to a server, ${RUN_DAEMON_SNAPSHOTS} snapshots ${RUN_DAEMON_INTERVAL_S} s apart`,
      ...cell('daemonRssMb', mb),
      `< ${RSS_GOAL_MB} MB`,
    ],
    ['', ...verdict('daemonRssMb', (value) => value < RSS_GOAL_MB), ''],
    ["  the daemon's work alone (gather, JSON, delta, as timed above)", ...cell('daemonWorkRssMb', mb), ''],
    ['node -e 0 RSS (for scale)', ...cell('nodeRssMb', mb), ''],
  ];
  const columns = rows[0]?.length ?? 0;
  const widths = Array.from({ length: columns }, (_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const lines = rows.map((row) =>
    row
      .map((cellText, column) => cellText.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const machine = `Linux ${release()}, ${results.cpus} CPUs, node ${process.version}, load average ${results.loadAverage1m?.toFixed(2)}`;
  return [`Collector benchmark — ${machine}; medians of ${ROUNDS} interleaved rounds`, ...lines].join('\n');
}

const isRunDirectly = /collector-bench\.[cm]?[jt]s$/.test(process.argv[1] ?? '');
if (isRunDirectly) {
  runCollectorBench()
    .then((results) => console.log(formatCollectorBench(results)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
