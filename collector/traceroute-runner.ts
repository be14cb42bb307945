// Runs the system traceroute for the configured targets on its own schedule and hands the finished
// runs to the next snapshot, so a slow trace never delays socket and process collection.
import { spawn } from 'node:child_process';
import type { TracerouteRun } from '../lib/schemas/snapshot';
import { sleep } from './abort';
import type { Logger } from './log';
import { parseTraceroute } from './parse/traceroute';

const DEFAULT_TRACEROUTE_TIMEOUT_MS = 90_000;
/** The snapshot schema's bound on runs per snapshot; older pending runs give way to newer ones. */
const MAX_PENDING_RUNS = 256;
const MAX_OUTPUT_BYTES = 1024 * 1024;

export interface TracerouteOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The executable; tests may point it elsewhere. */
  command?: string;
}

/** One `traceroute -n -q 3 -w 2 TARGET`, parsed, stamped with when it started. */
export async function runTraceroute(target: string, options: TracerouteOptions = {}): Promise<TracerouteRun[]> {
  const startedAt = new Date().toISOString();
  const output = await runCommand(options.command ?? 'traceroute', ['-n', '-q', '3', '-w', '2', target], options);
  const runs = parseTraceroute(output);
  if (runs.length === 0) throw new Error(`traceroute ${target}: no output to parse`);
  return runs.map((run) => ({ ...run, startedAt }));
}

function runCommand(command: string, args: string[], options: TracerouteOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRACEROUTE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    // An argument array, never a shell: a target can never become a command.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    const kill = () => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes + chunk.length > MAX_OUTPUT_BYTES) return;
      stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      const isMissing = error.code === 'ENOENT';
      reject(isMissing ? new Error(`${command} is not installed (Debian: apt-get install traceroute)`) : error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
      const text = Buffer.concat(stdout).toString('utf8');
      // A run cut short by the timeout still tells which hops answered: keep what was printed.
      if (text.trim() !== '') return resolve(text);
      const why = timedOut ? `no output within ${timeoutMs} ms` : `exited ${code ?? signal}`;
      reject(new Error(`${command} ${args.at(-1)}: ${why}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`));
    });
  });
}

export type TraceTarget = (target: string, signal: AbortSignal) => Promise<TracerouteRun[]>;

export interface TracerouteRunnerOptions {
  targets: readonly string[];
  intervalMs: number;
  log: Logger;
  timeoutMs?: number;
  /** Replaces the system traceroute (tests). */
  trace?: TraceTarget;
}

export class TracerouteRunner {
  private pending: TracerouteRun[] = [];
  private readonly stopController = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly trace: TraceTarget;

  constructor(private readonly options: TracerouteRunnerOptions) {
    this.trace = options.trace ?? ((target, signal) => runTraceroute(target, { timeoutMs: options.timeoutMs, signal }));
  }

  /** Traces every target now, then again every interval, until stop(). */
  start(): void {
    if (this.loop || this.options.targets.length === 0) return;
    this.loop = this.runSchedule();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
  }

  /** One pass over every target, waited for (run --once). */
  async traceAllTargets(): Promise<void> {
    for (const target of this.options.targets) {
      if (this.stopController.signal.aborted) return;
      try {
        this.addResults(await this.trace(target, this.stopController.signal));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.log.warn(`traceroute to ${target} failed: ${reason}`);
      }
    }
  }

  /** Runs finished since the last call; the caller's snapshot carries them. */
  takeResults(): TracerouteRun[] | undefined {
    if (this.pending.length === 0) return undefined;
    const results = this.pending;
    this.pending = [];
    return results;
  }

  private async runSchedule(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      const cycleStartedAt = Date.now();
      await this.traceAllTargets();
      await sleep(cycleStartedAt + this.options.intervalMs - Date.now(), signal);
    }
  }

  private addResults(runs: TracerouteRun[]): void {
    this.pending.push(...runs);
    if (this.pending.length > MAX_PENDING_RUNS) this.pending.splice(0, this.pending.length - MAX_PENDING_RUNS);
  }
}
