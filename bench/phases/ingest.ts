// (1) Ingest at real churn: the fleet posts deltas (the default path) at rates stepped up until p99
// passes 100 ms, errors appear or the server falls behind — the highest step that held is the rate
// held — then whole snapshots (the full path) at the goal rate. Every rate up to the goal is run
// even after a failed step, so both paths have a figure at the goal. Per step: server CPU (every
// thread of its process) and PostgreSQL CPU (this database's backends) per snapshot, from /proc.
import { runLoad, type Fleet, type LoadResult, type UploadMode } from '../load-generator';
import { measureCpu, type CpuWindow } from '../proc';
import { round } from '../stats';

export const INGEST_P99_GOAL_MS = 100;
export const INGEST_RATE_GOAL = 10_000 / 60;

export interface IngestStep extends LoadResult {
  cpu: CpuWindow;
  /** Server CPU time per completed snapshot (ms). */
  serverCpuMsPerSnapshot: number | null;
  /** PostgreSQL CPU time (this database's backends) per completed snapshot (ms). */
  postgresCpuMsPerSnapshot: number;
  held: boolean;
}

export interface IngestPhaseResult {
  steps: IngestStep[];
  /** Highest delta rate whose step held (p99 under the goal, < 0.5% errors, achieved ≥ 95% of target). */
  sustainedRate: number;
  /** The delta step at the goal rate. */
  atGoal: IngestStep | null;
  /** Whole snapshots at the goal rate. */
  fullAtGoal: IngestStep | null;
}

export interface IngestTarget {
  url: string | readonly string[];
  serverPid: number | readonly number[];
  databaseUrl: string;
  databaseName: string;
}

async function runStep(target: IngestTarget, fleet: Fleet, rate: number, durationS: number, mode: UploadMode, tag: string): Promise<IngestStep> {
  const { result, cpu } = await measureCpu(target, () => runLoad(fleet, { url: target.url, rate, durationS, mode, tag }));
  const errorShare = (result.errors + result.dropped) / Math.max(1, result.sent + result.dropped);
  const held = result.latencyMs.p99 <= INGEST_P99_GOAL_MS && errorShare < 0.005 && result.achievedRate >= rate * 0.95;
  return {
    ...result,
    cpu,
    serverCpuMsPerSnapshot: cpu.serverCpuSeconds === null ? null : (cpu.serverCpuSeconds * 1000) / Math.max(1, result.completed),
    postgresCpuMsPerSnapshot: (cpu.postgres.backendSeconds * 1000) / Math.max(1, result.completed),
    held,
  };
}

function describeStep(step: IngestStep): string {
  return (
    `${step.mode.padEnd(5)} ${String(step.targetRate).padStart(4)}/s → ${round(step.achievedRate).toString().padStart(6)}/s done, p50 ${round(step.latencyMs.p50)} ms, p99 ${round(step.latencyMs.p99)} ms, ` +
    `errors ${step.errors}, dropped ${step.dropped}, ${Math.round(step.meanBodyBytes / 1024)} KiB/post, ${round(step.rowsReplacedPerPost, 1)} rows replaced/post; ` +
    `CPU/snapshot server ${round(step.serverCpuMsPerSnapshot ?? NaN, 1)} ms + PostgreSQL ${round(step.postgresCpuMsPerSnapshot, 1)} ms ` +
    `(PostgreSQL shared processes ${round(step.cpu.postgres.sharedSeconds, 1)} s); load generator ${round(step.cpu.loadGeneratorPercent, 0)}%, machine ${round(step.cpu.machinePercent, 0)}%` +
    `${step.resentWhole ? `, ${step.resentWhole} deltas resent whole after 409` : ''}` +
    `${step.encoderChecks.compared ? `; ${step.encoderChecks.compared} deltas compared with DeltaEncoder's, ${step.encoderChecks.differed} differed` : ''}${step.held ? '' : ' ✗'}` +
    (step.firstError ? `\n      first error: ${step.firstError}` : '')
  );
}

export async function runIngestPhase(options: {
  target: IngestTarget;
  fleet: Fleet;
  rates: number[];
  stepS: number;
  log: (line: string) => void;
}): Promise<IngestPhaseResult> {
  const { fleet, log, target } = options;
  // Connections, prepared statements and the JIT warm up before anything is measured.
  const warmUpS = Math.min(10, options.stepS);
  log(`  warm-up: ${warmUpS} s of deltas at ${options.rates[0]}/s`);
  await runLoad(fleet, { url: target.url, rate: options.rates[0] ?? 50, durationS: warmUpS, mode: 'delta', tag: 'warm' });
  const steps: IngestStep[] = [];
  let sustainedRate = 0;
  let failed = false;
  for (const rate of options.rates) {
    if (failed && rate > INGEST_RATE_GOAL + 1) break;
    const step = await runStep(target, fleet, rate, options.stepS, 'delta', `step${rate}`);
    steps.push(step);
    log(`  ${describeStep(step)}`);
    if (!step.held) failed = true;
    else if (!failed) sustainedRate = rate;
  }
  log(`  full path at the goal rate`);
  const fullAtGoal = await runStep(target, fleet, Math.round(INGEST_RATE_GOAL), options.stepS, 'full', 'full');
  log(`  ${describeStep(fullAtGoal)}`);
  steps.push(fullAtGoal);
  const atGoal = steps.find((step) => step.mode === 'delta' && Math.abs(step.targetRate - INGEST_RATE_GOAL) < 1) ?? null;
  return { steps, sustainedRate, atGoal, fullAtGoal };
}
