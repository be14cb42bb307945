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
export function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (all CPUs). */
export function readMachineCpu(): { busy: number; total: number } {
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
