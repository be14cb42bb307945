// Native gathering next to the tools it replaces: time and peak memory of one snapshot read from
// /proc and /sys, against `ss -tunap` + `ps -eo ...` + `ip -d link` on the same machine in the same
// run; once as the machine is, once more with 2,000 extra loopback sockets and 500 extra processes.
//
//   npx tsx bench/collector-bench.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 7; // fresh gathering children and tool runs, interleaved so that load on the machine hits both alike
const WARM_GATHERS = 5;
const EXTRA_LISTENERS = 400;
const EXTRA_CONNECTIONS = 800; // each one is two sockets: the client end and the accepted end
const EXTRA_PROCESSES = 500;
const RSS_GOAL_MB = 80;

const TOOLS: ReadonlyArray<{ label: string; command: string; args: string[] }> = [
  { label: 'ss -tunap', command: 'ss', args: ['-tunap'] },
  { label: 'ps -eo pid,ppid,user,uid,lstart,args', command: 'ps', args: ['-eo', 'pid,ppid,user,uid,lstart,args'] },
  { label: 'ip -d link', command: 'ip', args: ['-d', 'link'] },
];

/** What the child reports about its own gathering. */
interface ChildReport {
  firstGatherMs: number;
  /** Only from a `warm` run. */
  warmGatherMs: number | null;
  peakRssKb: number;
  sockets: number;
  processes: number;
  interfaces: number;
}

interface Measurement extends ChildReport {
  warmGatherMs: number;
  childWallMs: number;
  toolMs: number[];
  toolsTotalMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

// The child is bundled like dist/collector.mjs and run with plain node, so its RSS is the collector's
// and not tsx's. Run with `first`, it gathers once: the time and peak memory of one snapshot. Run with
// `warm`, it gathers a few more times: the steady cost inside a long-running collector.
const CHILD_SOURCE = `
import { gatherLinuxSnapshot } from './collector/gather/linux/index';
const isWarmRun = process.argv[2] === 'warm';
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const startedAt = performance.now();
const snapshot = await gatherLinuxSnapshot();
const firstGatherMs = performance.now() - startedAt;
const peakRssKb = process.resourceUsage().maxRSS;
const warm = [];
for (let run = 0; isWarmRun && run < ${WARM_GATHERS}; run += 1) {
  const warmStartedAt = performance.now();
  await gatherLinuxSnapshot();
  warm.push(performance.now() - warmStartedAt);
}
process.stdout.write(JSON.stringify({
  firstGatherMs,
  warmGatherMs: isWarmRun ? median(warm) : null,
  peakRssKb,
  sockets: snapshot.sockets.length,
  processes: snapshot.processes.length,
  interfaces: snapshot.interfaces.length,
}));
`;

const EMPTY_CHILD_SOURCE = `process.stdout.write(JSON.stringify({ peakRssKb: process.resourceUsage().maxRSS }));`;

async function bundleChildren(directory: string): Promise<{ gatherScript: string; emptyScript: string }> {
  const gatherScript = join(directory, 'gather-child.mjs');
  await build({
    stdin: { contents: CHILD_SOURCE, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'gather-child.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: gatherScript,
    logLevel: 'error',
  });
  const emptyScript = join(directory, 'empty-child.mjs');
  writeFileSync(emptyScript, EMPTY_CHILD_SOURCE);
  return { gatherScript, emptyScript };
}

function runNodeScript(script: string, ...args: string[]): { report: unknown; wallMs: number } {
  const startedAt = performance.now();
  const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const wallMs = performance.now() - startedAt;
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
  return { report: JSON.parse(result.stdout) as unknown, wallMs };
}

/** Wall time of one tool run, its output read in full as a collector reading it would. */
function timeTool(command: string, args: string[]): number {
  const startedAt = performance.now();
  const result = spawnSync(command, args, { maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - startedAt;
  if (result.error !== undefined) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return wallMs;
}

/** Medians over the rounds; peak RSS is the highest any fresh child reached. */
function measure(gatherScript: string): Measurement {
  const firstReports: ChildReport[] = [];
  const childWallMs: number[] = [];
  const toolRuns: number[][] = TOOLS.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    const { report, wallMs } = runNodeScript(gatherScript, 'first');
    firstReports.push(report as ChildReport);
    childWallMs.push(wallMs);
    TOOLS.forEach((tool, index) => toolRuns[index]?.push(timeTool(tool.command, tool.args)));
  }
  const warmReport = runNodeScript(gatherScript, 'warm').report as ChildReport;
  const toolMs = toolRuns.map((runs) => median(runs));
  const last = firstReports[firstReports.length - 1];
  return {
    firstGatherMs: median(firstReports.map((report) => report.firstGatherMs)),
    warmGatherMs: warmReport.warmGatherMs ?? Number.NaN,
    peakRssKb: Math.max(...firstReports.map((report) => report.peakRssKb)),
    sockets: last?.sockets ?? 0,
    processes: last?.processes ?? 0,
    interfaces: last?.interfaces ?? 0,
    childWallMs: median(childWallMs),
    toolMs,
    toolsTotalMs: toolMs.reduce((sum, ms) => sum + ms, 0),
  };
}

/** Everything the benchmark opens or starts, so that it can all be closed again. */
class ExtraLoad {
  private readonly servers: Server[] = [];
  private readonly sockets: Socket[] = [];
  private readonly children: ChildProcess[] = [];

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

  async startProcesses(): Promise<void> {
    for (let index = 0; index < EXTRA_PROCESSES; index += 1) {
      const child = spawn('sleep', ['60'], { stdio: 'ignore' });
      this.children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    }
  }

  /** Synchronous, so it can also run from an exit handler. */
  killProcesses(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.killProcesses();
    await Promise.all(
      this.children.map((child) =>
        child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    this.children.length = 0;
    this.sockets.length = 0;
    this.servers.length = 0;
  }
}

function toRecord(prefix: string, measurement: Measurement): Record<string, number> {
  return {
    [`${prefix}.sockets`]: measurement.sockets,
    [`${prefix}.processes`]: measurement.processes,
    [`${prefix}.interfaces`]: measurement.interfaces,
    [`${prefix}.nativeFirstGatherMs`]: measurement.firstGatherMs,
    [`${prefix}.nativeWarmGatherMs`]: measurement.warmGatherMs,
    [`${prefix}.nativeChildWallMs`]: measurement.childWallMs,
    [`${prefix}.nativePeakRssMb`]: measurement.peakRssKb / 1024,
    [`${prefix}.ssMs`]: measurement.toolMs[0] ?? 0,
    [`${prefix}.psMs`]: measurement.toolMs[1] ?? 0,
    [`${prefix}.ipMs`]: measurement.toolMs[2] ?? 0,
    [`${prefix}.toolsTotalMs`]: measurement.toolsTotalMs,
  };
}

/** Runs both rounds and returns flat numbers (for a suite runner to write as JSON). Cleans up after itself. */
export async function runCollectorBench(): Promise<Record<string, number>> {
  // Other work on the machine slows tools and gatherer alike; the load average before we start says how much there was.
  const loadAverageAtStart = loadavg()[0] ?? 0;
  const directory = mkdtempSync(join(tmpdir(), 'sockscope-collector-bench-'));
  const load = new ExtraLoad();
  // The sleep children and the temporary directory must not outlive an interrupted run: remove them,
  // then let the signal do its usual work.
  const removeSynchronously = () => {
    load.killProcesses();
    rmSync(directory, { recursive: true, force: true });
  };
  const killOnExit = () => removeSynchronously();
  const killOnSignal = (signal: NodeJS.Signals) => {
    removeSynchronously();
    process.kill(process.pid, signal);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);
  try {
    const { gatherScript, emptyScript } = await bundleChildren(directory);
    const nodeBaseline = runNodeScript(emptyScript).report as { peakRssKb: number };
    const baseline = measure(gatherScript);
    await load.openSockets();
    await load.startProcesses();
    const loaded = measure(gatherScript);
    return {
      loadAverage1m: loadAverageAtStart,
      nodeBaselineRssMb: nodeBaseline.peakRssKb / 1024,
      ...toRecord('baseline', baseline),
      ...toRecord('loaded', loaded),
    };
  } finally {
    await load.close();
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', killOnSignal);
    process.removeListener('SIGTERM', killOnSignal);
    rmSync(directory, { recursive: true, force: true });
  }
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '' : `${value.toFixed(1)} ms`;
}

function formatMb(value: number | undefined): string {
  return value === undefined ? '' : `${value.toFixed(1)} MB`;
}

export function formatCollectorBench(results: Record<string, number>): string {
  const value = (key: string) => results[key];
  const verdict = (isMet: boolean) => (isMet ? 'met' : 'MISSED');
  const rows: Array<[string, string, string, string]> = [
    ['', 'as is', `+${2 * EXTRA_CONNECTIONS + EXTRA_LISTENERS} sockets, +${EXTRA_PROCESSES} processes`, 'goal'],
    [
      'sockets / processes / interfaces',
      `${value('baseline.sockets')} / ${value('baseline.processes')} / ${value('baseline.interfaces')}`,
      `${value('loaded.sockets')} / ${value('loaded.processes')} / ${value('loaded.interfaces')}`,
      '',
    ],
    ['native gather, first in a fresh process (median)', formatMs(value('baseline.nativeFirstGatherMs')), formatMs(value('loaded.nativeFirstGatherMs')), ''],
    ['native gather, warm (median of 5)', formatMs(value('baseline.nativeWarmGatherMs')), formatMs(value('loaded.nativeWarmGatherMs')), ''],
    ['native, whole child (node start + one gather)', formatMs(value('baseline.nativeChildWallMs')), formatMs(value('loaded.nativeChildWallMs')), ''],
    ...TOOLS.map((tool, index): [string, string, string, string] => {
      const key = ['ssMs', 'psMs', 'ipMs'][index] ?? '';
      return [`${tool.label} (median)`, formatMs(value(`baseline.${key}`)), formatMs(value(`loaded.${key}`)), ''];
    }),
    ['tools together', formatMs(value('baseline.toolsTotalMs')), formatMs(value('loaded.toolsTotalMs')), ''],
    [
      'first gather no slower than the tools together',
      verdict((value('baseline.nativeFirstGatherMs') ?? Infinity) <= (value('baseline.toolsTotalMs') ?? 0)),
      verdict((value('loaded.nativeFirstGatherMs') ?? Infinity) <= (value('loaded.toolsTotalMs') ?? 0)),
      'no slower than the tools together',
    ],
    [
      'warm gather no slower than the tools together',
      verdict((value('baseline.nativeWarmGatherMs') ?? Infinity) <= (value('baseline.toolsTotalMs') ?? 0)),
      verdict((value('loaded.nativeWarmGatherMs') ?? Infinity) <= (value('loaded.toolsTotalMs') ?? 0)),
      'no slower than the tools together',
    ],
    ['native peak RSS (whole child, highest of the runs)', formatMb(value('baseline.nativePeakRssMb')), formatMb(value('loaded.nativePeakRssMb')), `< ${RSS_GOAL_MB} MB`],
    [
      '',
      verdict((value('baseline.nativePeakRssMb') ?? Infinity) < RSS_GOAL_MB),
      verdict((value('loaded.nativePeakRssMb') ?? Infinity) < RSS_GOAL_MB),
      '',
    ],
    ['node itself, empty script (for scale)', formatMb(value('nodeBaselineRssMb')), '', ''],
  ];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  const machine = `Linux ${release()}, ${cpus().length} CPUs, node ${process.version}, load average ${value('loadAverage1m')?.toFixed(2)}`;
  return [`Collector benchmark — ${machine}`, ...lines].join('\n');
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
