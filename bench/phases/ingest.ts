// (1) Ingest throughput: step the rate up until p99 passes 100 ms, errors appear or the server
// falls behind; the highest step that held is the sustained rate.
import { runLoad, type Fleet, type LoadResult } from '../load-generator';
import { CpuMeter } from '../proc';
import { round } from '../stats';

export const INGEST_P99_GOAL_MS = 100;
export const INGEST_RATE_GOAL = 10_000 / 60;

export interface IngestStep extends LoadResult {
  serverCpuPercent: number | null;
  /** Server CPU time per completed snapshot: steadier than latency on a machine shared with others. */
  serverCpuMsPerSnapshot: number | null;
  machineCpuPercent: number;
  /** This process (the load generator) in % of one core: on one machine it competes with the server. */
  loadGeneratorCpuPercent: number;
  held: boolean;
}

export interface IngestPhaseResult {
  steps: IngestStep[];
  /** Highest rate whose step held (p99 under the goal, < 0.5% errors, achieved ≥ 95% of target). */
  sustainedRate: number;
  /** The step at the goal rate (167/s), if it was run. */
  atGoal: IngestStep | null;
}

export async function runIngestPhase(options: { url: string | readonly string[]; fleet: Fleet; serverPid: number | readonly number[]; rates: number[]; stepS: number; log: (line: string) => void }): Promise<IngestPhaseResult> {
  const { fleet, log } = options;
  // Steady state, as after a real fleet's first interval: every collector has posted once, so the
  // server has seen each host (its per-host caches are warm) before anything is measured.
  const warmUpRate = 100;
  log(`  warm-up: each of the ${fleet.size.toLocaleString('en')} collectors posts once, at ${warmUpRate}/s`);
  await runLoad(fleet, { url: options.url, rate: warmUpRate, durationS: fleet.size / warmUpRate, tag: 'warm' });
  const steps: IngestStep[] = [];
  let sustainedRate = 0;
  for (const rate of options.rates) {
    const meter = new CpuMeter(options.serverPid);
    const harness = new CpuMeter(process.pid);
    const result = await runLoad(fleet, { url: options.url, rate, durationS: options.stepS, tag: `step${rate}` });
    const cpu = meter.read();
    const loadGeneratorCpuPercent = harness.read().processPercent ?? NaN;
    const errorShare = (result.errors + result.dropped) / Math.max(1, result.sent + result.dropped);
    const held = result.latencyMs.p99 <= INGEST_P99_GOAL_MS && errorShare < 0.005 && result.achievedRate >= rate * 0.95;
    const serverCpuMsPerSnapshot = cpu.processPercent === null ? null : (cpu.processPercent * 10) / Math.max(result.achievedRate, 1e-9);
    const step: IngestStep = { ...result, serverCpuPercent: cpu.processPercent, serverCpuMsPerSnapshot, machineCpuPercent: cpu.machinePercent, loadGeneratorCpuPercent, held };
    steps.push(step);
    log(
      `  ${String(rate).padStart(4)}/s → ${round(result.achievedRate).toString().padStart(6)}/s done, p50 ${round(result.latencyMs.p50)} ms, p99 ${round(result.latencyMs.p99)} ms, ` +
        `max ${round(result.latencyMs.max)} ms, errors ${result.errors}, dropped ${result.dropped}, server CPU ${round(cpu.processPercent ?? NaN, 0)}% (${round(serverCpuMsPerSnapshot ?? NaN, 1)} ms/snapshot), load generator ${round(loadGeneratorCpuPercent, 0)}%, machine ${round(cpu.machinePercent, 0)}% ${held ? '' : '✗'}` +
        (result.firstError ? `\n      first error: ${result.firstError}` : ''),
    );
    if (!held) break;
    sustainedRate = rate;
  }
  const atGoal = steps.find((step) => Math.abs(step.targetRate - INGEST_RATE_GOAL) < 1) ?? null;
  return { steps, sustainedRate, atGoal };
}
