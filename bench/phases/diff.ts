// (4) Diff: diffSnapshots on two snapshots of one host with 1,000 processes and 500 sockets, about
// 5% of rows different (connections come and go, programs start and exit, one re-binds).
import { diffSnapshots, summarizeDiff } from '@/lib/diff/diff-snapshots';
import type { SnapshotSections } from '@/lib/diff/types';
import type { ProcessRow, SocketRow } from '@/lib/schemas/snapshot';
import { buildProfile } from '../fleet';
import { summarize, type Summary } from '../stats';

export const DIFF_P99_GOAL_MS = 5;

export interface DiffPhaseResult {
  sockets: number;
  processes: number;
  summary: ReturnType<typeof summarizeDiff>;
  iterations: number;
  changedMs: Summary;
  identicalMs: Summary;
}

function buildDiffPair(): { before: SnapshotSections; after: SnapshotSections } {
  const sockets: SocketRow[] = [];
  const processes: ProcessRow[] = [];
  for (let part = 0; sockets.length < 500 || processes.length < 1000; part += 1) {
    const profile = buildProfile(1000 + part);
    // Each part is another slice of the same machine: shift pids and addresses so rows stay distinct.
    for (const socket of profile.sockets) {
      if (sockets.length < 500 && (part === 0 || socket.state !== 'LISTEN'))
        sockets.push({ ...socket, pid: socket.pid === null ? null : socket.pid + part * 100_000 });
    }
    for (const process of profile.processes) {
      if (processes.length < 1000 && (part === 0 || process.pid > 1))
        processes.push({ ...process, pid: process.pid + part * 100_000, ppid: process.ppid === null ? null : process.ppid + part * 100_000 });
    }
  }
  const before: SnapshotSections = { sockets, processes };
  const afterSockets = sockets
    .slice(10)
    .map((socket, index) => (index % 100 === 7 && socket.state === 'ESTABLISHED' ? { ...socket, state: 'CLOSE_WAIT' } : socket));
  for (let extra = 0; extra < 10; extra += 1) {
    afterSockets.push({
      proto: 'tcp',
      localAddress: '10.9.9.9',
      localPort: 40_000 + extra,
      remoteAddress: '10.8.8.8',
      remotePort: 443,
      state: 'ESTABLISHED',
      pid: 999,
      process: 'curl',
      user: 'app',
      uid: 1001,
      inode: 123 + extra,
    });
  }
  const listener = afterSockets.findIndex((socket) => socket.state === 'LISTEN' && socket.localAddress === '127.0.0.1');
  if (listener >= 0) afterSockets[listener] = { ...(afterSockets[listener] as SocketRow), localAddress: '0.0.0.0' };
  const afterProcesses = processes.slice(20).map((process, index) => (index % 100 === 3 ? { ...process, args: `${process.args ?? ''} --reloaded` } : process));
  for (let extra = 0; extra < 20; extra += 1) {
    afterProcesses.push({
      pid: 500_000 + extra,
      ppid: 1,
      user: 'app',
      uid: 1001,
      command: extra % 2 ? 'curl' : 'python3',
      args: `job ${extra}`,
      startedAt: null,
    });
  }
  // Collectors do not promise an order: shuffle deterministically.
  afterSockets.reverse();
  afterProcesses.sort((a, b) => (a.pid % 7) - (b.pid % 7));
  return { before, after: { sockets: afterSockets, processes: afterProcesses } };
}

export function runDiffPhase(iterations: number): DiffPhaseResult {
  const { before, after } = buildDiffPair();
  const time = (left: SnapshotSections, right: SnapshotSections) => {
    const samples: number[] = [];
    for (let warm = 0; warm < Math.min(200, iterations); warm += 1) diffSnapshots(left, right);
    for (let run = 0; run < iterations; run += 1) {
      const started = performance.now();
      diffSnapshots(left, right);
      samples.push(performance.now() - started);
    }
    return summarize(samples);
  };
  const changedMs = time(before, after);
  const identicalMs = time(before, { sockets: [...(before.sockets ?? [])].reverse(), processes: before.processes });
  return {
    sockets: before.sockets?.length ?? 0,
    processes: before.processes?.length ?? 0,
    summary: summarizeDiff(diffSnapshots(before, after)),
    iterations,
    changedMs,
    identicalMs,
  };
}
