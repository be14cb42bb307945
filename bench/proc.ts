// What the kernel says about a process and the machine: resident memory and CPU time from /proc.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export function readRssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) the process has used so far. */
function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (all CPUs). */
function readMachineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/** CPU use between two calls: of some processes together (% of one core) and of the machine (% of all cores). */
export class CpuMeter {
  private readonly pids: readonly number[];
  private process: number | null;
  private machine = readMachineCpu();
  private at = performance.now();

  constructor(pid: number | readonly number[]) {
    this.pids = typeof pid === 'number' ? [pid] : pid;
    this.process = this.readProcesses();
  }

  private readProcesses(): number | null {
    let total = 0;
    for (const pid of this.pids) {
      const seconds = readCpuSeconds(pid);
      if (seconds === null) return null;
      total += seconds;
    }
    return total;
  }

  read(): { processPercent: number | null; machinePercent: number } {
    const process = this.readProcesses();
    const machine = readMachineCpu();
    const elapsedS = (performance.now() - this.at) / 1000;
    const result = {
      processPercent: process !== null && this.process !== null ? ((process - this.process) / elapsedS) * 100 : null,
      machinePercent: ((machine.busy - this.machine.busy) / Math.max(1, machine.total - this.machine.total)) * 100,
    };
    this.process = process;
    this.machine = machine;
    this.at = performance.now();
    return result;
  }
}

interface BackendCpu {
  first: number;
  last: number;
  isShared: boolean;
}

interface PostgresCpu {
  /** CPU seconds of the backends of the bench database (its connections and autovacuum workers). */
  backendSeconds: number;
  /** CPU seconds of PostgreSQL's own processes (WAL writer, checkpointer, …), shared with every database on the server. */
  sharedSeconds: number;
  backends: number;
}

/**
 * CPU time of PostgreSQL spent for one database over a window, from /proc: its backends are listed
 * every second (pg_stat_activity), so connections that come and go during the window are counted
 * up to their last sighting; a backend first seen after the start started within the window.
 */
class PostgresCpuMeter {
  private readonly cpu = new Map<number, BackendCpu>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly client: import('pg').Client,
    private readonly database: string,
  ) {}

  static async start(databaseUrl: string, database: string): Promise<PostgresCpuMeter> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const meter = new PostgresCpuMeter(client, database);
    await meter.poll(true);
    meter.timer = setInterval(() => void meter.poll(false).catch(() => undefined), 1000);
    return meter;
  }

  private async poll(isStart: boolean): Promise<void> {
    const result = await this.client.query<{ pid: number; shared: boolean }>(
      `SELECT pid, (datname IS NULL) AS shared FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND (datname = $1 OR backend_type IN ('checkpointer', 'walwriter', 'background writer', 'autovacuum launcher'))`,
      [this.database],
    );
    for (const row of result.rows) {
      const seconds = readCpuSeconds(row.pid);
      if (seconds === null) continue;
      const known = this.cpu.get(row.pid);
      if (known) known.last = seconds;
      else this.cpu.set(row.pid, { first: isStart ? seconds : 0, last: seconds, isShared: row.shared });
    }
  }

  async stop(): Promise<PostgresCpu> {
    if (this.timer) clearInterval(this.timer);
    await this.poll(false).catch(() => undefined);
    await this.client.end();
    let backendSeconds = 0;
    let sharedSeconds = 0;
    let backends = 0;
    for (const entry of this.cpu.values()) {
      if (entry.isShared) sharedSeconds += entry.last - entry.first;
      else {
        backendSeconds += entry.last - entry.first;
        backends += 1;
      }
    }
    return { backendSeconds, sharedSeconds, backends };
  }
}

export interface CpuWindow {
  seconds: number;
  /** The server process, every thread (its ingest workers too). */
  serverCpuSeconds: number | null;
  postgres: PostgresCpu;
  /** This process: the load generator, on the same cores. */
  loadGeneratorPercent: number;
  /** The whole machine, every process (other work on it too), % of all cores. */
  machinePercent: number;
}

/** Runs `work` and reports the CPU the server, PostgreSQL (for this database) and this process used meanwhile. */
export async function measureCpu<T>(
  target: { serverPid: number | readonly number[]; databaseUrl: string; databaseName: string },
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuWindow }> {
  const pids = typeof target.serverPid === 'number' ? [target.serverPid] : target.serverPid;
  const serverSeconds = () =>
    pids.reduce<number | null>((sum, pid) => (sum === null ? null : ((value) => (value === null ? null : sum + value))(readCpuSeconds(pid))), 0);
  const postgres = await PostgresCpuMeter.start(target.databaseUrl, target.databaseName);
  const machine = new CpuMeter(process.pid);
  const serverBefore = serverSeconds();
  const started = performance.now();
  const result = await work();
  const serverAfter = serverSeconds();
  const seconds = (performance.now() - started) / 1000;
  const local = machine.read();
  return {
    result,
    cpu: {
      seconds,
      serverCpuSeconds: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
      postgres: await postgres.stop(),
      loadGeneratorPercent: local.processPercent ?? NaN,
      machinePercent: local.machinePercent,
    },
  };
}
