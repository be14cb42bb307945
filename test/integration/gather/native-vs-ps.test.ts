import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gatherLinuxSnapshot } from '../../../collector/gather/linux/index';
import type { ProcessRow } from '../../../lib/schemas/snapshot';

// The process list must agree with `ps` for every process that lives through both reads.

const run = promisify(execFile);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface PsProcess {
  pid: number;
  ppid: number;
  uid: number;
  startedAtSeconds: number;
  command: string;
}

/** `Sat Nov 21 11:27:17 2026` (C locale, UTC) → seconds since the epoch. */
function parseLstart(dayName: string, month: string, day: string, time: string, year: string): number {
  void dayName;
  const [hours, minutes, seconds] = time.split(':').map(Number);
  return Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), hours, minutes, seconds) / 1000;
}

async function runPs(): Promise<Map<number, PsProcess>> {
  const { stdout } = await run('ps', ['-ww', '-eo', 'pid=,ppid=,uid=,lstart=,comm='], {
    env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const processes = new Map<number, PsProcess>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\w+) (\w+)\s+(\d+) (\d\d:\d\d:\d\d) (\d+) (.*)$/.exec(line);
    if (match === null) continue;
    const [, pid, ppid, uid, dayName, month, day, time, year, command] = match as unknown as string[];
    processes.set(Number(pid), {
      pid: Number(pid),
      ppid: Number(ppid),
      uid: Number(uid),
      startedAtSeconds: parseLstart(dayName!, month!, day!, time!, year!),
      command: command!,
    });
  }
  return processes;
}

async function runPsArgs(): Promise<Map<number, string>> {
  const { stdout } = await run('ps', ['-ww', '-eo', 'pid=,args='], { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 });
  const args = new Map<number, string>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+) (.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) args.set(Number(match[1]), match[2]);
  }
  return args;
}

/** ps shows non-printable bytes as `?`; compare only names it prints as they are. */
const isPlainText = (text: string) => /^[\x20-\x7e]*$/.test(text);

/**
 * Processes change while they are looked at: a postgres backend rewrites its title on every query, a
 * kernel worker renames itself for each job, an orphan gets a new parent. So each look is ps, gather,
 * ps again; only processes that ps saw unchanged are compared, and a difference counts only if it
 * shows up in every one of three looks.
 */
interface Look {
  processes: ProcessRow[];
  psBefore: Map<number, PsProcess>;
  psAfter: Map<number, PsProcess>;
  psArgsBefore: Map<number, string>;
  psArgsAfter: Map<number, string>;
}

type Comparison = (look: Look) => { compared: number; disagreements: Map<number, string> };

async function persistentDisagreements(compare: Comparison): Promise<{ compared: number; disagreements: string[] }> {
  let persistent: Map<number, string> | undefined;
  let compared = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const [psBefore, psArgsBefore] = await Promise.all([runPs(), runPsArgs()]);
    const processes = (await gatherLinuxSnapshot()).processes ?? [];
    const [psAfter, psArgsAfter] = await Promise.all([runPs(), runPsArgs()]);
    const result = compare({ processes, psBefore, psAfter, psArgsBefore, psArgsAfter });
    compared = Math.max(compared, result.compared);
    persistent = persistent === undefined ? result.disagreements : new Map([...persistent].filter(([pid]) => result.disagreements.has(pid)));
    if (persistent.size === 0) break;
  }
  return { compared, disagreements: [...(persistent ?? new Map<number, string>()).values()] };
}

describe('native process list agrees with ps', () => {
  it('has the same parent, uid, command and start time (to the second) for every process seen by both', async () => {
    const { compared, disagreements } = await persistentDisagreements(({ processes, psBefore, psAfter }) => {
      const found = new Map<number, string>();
      let count = 0;
      for (const row of processes) {
        const psRow = psBefore.get(row.pid);
        const psRowAfter = psAfter.get(row.pid);
        const isUnchanged = psRow !== undefined && JSON.stringify(psRow) === JSON.stringify(psRowAfter);
        if (!isUnchanged) continue;
        count += 1;
        const startedAtSeconds = row.startedAt === null ? null : Math.floor(Date.parse(row.startedAt) / 1000);
        const differences: string[] = [];
        if (row.ppid !== psRow.ppid) differences.push(`ppid ${row.ppid} vs ${psRow.ppid}`);
        if (row.uid !== psRow.uid) differences.push(`uid ${row.uid} vs ${psRow.uid}`);
        // A kernel worker's name says what it is working on right now (kworker/0:1-events): compare user processes' names only.
        const isUserProcess = row.args !== null;
        if (isUserProcess && isPlainText(row.command) && row.command !== psRow.command) {
          differences.push(`command ${row.command} vs ${psRow.command}`);
        }
        // ps derives boot time its own way, which may round the other way by a second.
        if (startedAtSeconds === null || Math.abs(startedAtSeconds - psRow.startedAtSeconds) > 1) {
          differences.push(`started ${row.startedAt} vs ${new Date(psRow.startedAtSeconds * 1000).toISOString()}`);
        }
        if (differences.length > 0) found.set(row.pid, `${row.pid}: ${differences.join(', ')}`);
      }
      return { compared: count, disagreements: found };
    });
    expect(compared).toBeGreaterThan(10);
    expect(disagreements).toEqual([]);
  });

  it('has the same command line as ps, and none for kernel threads', async () => {
    const { compared, disagreements } = await persistentDisagreements(({ processes, psArgsBefore, psArgsAfter }) => {
      const found = new Map<number, string>();
      let count = 0;
      for (const row of processes) {
        const shown = psArgsBefore.get(row.pid);
        if (shown === undefined || psArgsAfter.get(row.pid) !== shown) continue;
        count += 1;
        if (row.args === null) {
          // ps shows a process without a command line as its name in brackets (zombies also get <defunct>).
          if (!shown.startsWith('[')) found.set(row.pid, `${row.pid}: null vs ${shown}`);
        } else if (isPlainText(row.args) && row.args !== shown) {
          found.set(row.pid, `${row.pid}: ${row.args} vs ${shown}`);
        }
      }
      return { compared: count, disagreements: found };
    });
    expect(compared).toBeGreaterThan(10);
    expect(disagreements).toEqual([]);
  });
});
