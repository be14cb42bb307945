// A program this host was not running at the previous snapshot: cheap, noisy-ish, often the first trace.
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/types';

export function evaluateNewBinaryAlerts(input: AlertRuleInput): AlertCandidate[] {
  const previousProcesses = input.previous?.processes;
  const currentProcesses = input.current.processes;
  // With no earlier process list every program would be "new": a flood, not news.
  if (previousProcesses === undefined || currentProcesses === undefined) return [];
  const knownCommands = new Set(previousProcesses.map((row) => row.command));
  const newByCommand = groupByCommand(currentProcesses.filter((row) => !knownCommands.has(row.command) && !isKernelThread(row)));
  return [...newByCommand.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([command, rows]) => createNewBinaryAlert(input.hostName, command, rows));
}

/** Kernel workers come and go and rename themselves (kworker/u4:2-events): not programs anyone started. */
export function isKernelThread(row: ProcessRow): boolean {
  return row.args === null && (row.pid === 2 || row.ppid === 2 || row.ppid === 0);
}

function groupByCommand(rows: readonly ProcessRow[]): Map<string, ProcessRow[]> {
  const groups = new Map<string, ProcessRow[]>();
  for (const row of rows) {
    const group = groups.get(row.command);
    if (group) group.push(row);
    else groups.set(row.command, [row]);
  }
  return groups;
}

function createNewBinaryAlert(hostName: string, command: string, rows: ProcessRow[]): AlertCandidate {
  const ordered = [...rows].sort((a, b) => a.pid - b.pid);
  const pids = ordered.map((row) => row.pid);
  const users = [...new Set(ordered.map((row) => row.user).filter((user) => user !== null))].sort();
  const owner = users.length > 0 ? `, user ${users.join(', ')}` : '';
  const message = `${hostName}: new program ${command} (pid ${pids.join(', ')}${owner})`;
  const subject = { command, pids, users, args: ordered[0]?.args ?? null };
  return createCandidate('process.new_binary', `process.new_binary:${command}`, message, subject, command);
}
