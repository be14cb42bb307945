// (3) Live latency: 100 dashboards connected while collectors post at the goal rate; per client and
// per `snapshot` event, the time from the collector's 202 to the event (and from the POST leaving).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runLoad, type Fleet, type LoadResult } from '../load-generator';
import { CpuMeter } from '../proc';
import type { Summary } from '../stats';

export const LIVE_P99_GOAL_MS = 100;

export interface LiveReport {
  clients: number;
  accepted: number;
  received: number;
  expected: number;
  diffEvents: number;
  afterAcceptedMs: Summary;
  afterSentMs: Summary;
  /** First to last of the clients, per event. */
  fanOutMs: Summary;
  clientCpuPercent: number;
}

export interface LivePhaseResult {
  live: LiveReport;
  load: LoadResult;
  serverCpuPercent: number | null;
  machineCpuPercent: number;
}

export class LiveClients {
  private constructor(private readonly child: ChildProcess) {}

  /** With several nodes, client i connects to node i mod n: each still sees every event (Redis). */
  static async start(urls: readonly string[], cookie: string, clients: number): Promise<LiveClients> {
    const child = fork(path.resolve('bench/live-clients.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_LIVE_CONFIG: JSON.stringify({ urls, cookie, clients }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (message: { type: string; message?: string }) => (message.type === 'ready' ? resolve() : reject(new Error(message.message))));
      child.once('exit', (code) => reject(new Error(`live clients exited with ${code}`)));
    });
    return new LiveClients(child);
  }

  send(message: unknown): void {
    this.child.send(message as never);
  }

  async report(): Promise<LiveReport> {
    const answer = new Promise<LiveReport>((resolve) => this.child.once('message', (message: LiveReport & { type: string }) => resolve(message)));
    this.send({ type: 'report' });
    return answer;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'close' });
    await exited;
  }
}

export async function runLivePhase(options: {
  url: string | readonly string[];
  fleet: Fleet;
  clients: LiveClients;
  serverPid: number | readonly number[];
  rate: number;
  durationS: number;
}): Promise<LivePhaseResult> {
  let batch: Array<[string, number, number]> = [];
  const flush = () => {
    if (batch.length === 0) return;
    options.clients.send({ type: 'accepted', batch });
    batch = [];
  };
  const flusher = setInterval(flush, 20);
  options.clients.send({ type: 'start' });
  const meter = new CpuMeter(options.serverPid);
  const load = await runLoad(options.fleet, {
    url: options.url,
    rate: options.rate,
    durationS: options.durationS,
    tag: 'live',
    onAccepted: (id, acceptedAt, sentAt) => batch.push([id, acceptedAt, sentAt]),
  });
  const cpu = meter.read();
  clearInterval(flusher);
  flush();
  // Let the last events arrive before asking for the report.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const live = await options.clients.report();
  return { live, load, serverCpuPercent: cpu.processPercent, machineCpuPercent: cpu.machinePercent };
}
