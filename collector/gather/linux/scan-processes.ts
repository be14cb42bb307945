// Processes from /proc/PID, and which process holds each socket inode we look for.
import { readdirSync, readlinkSync } from 'node:fs';
import type { ProcessRow } from '../../../lib/schemas/snapshot';
import { parseCgroupContainer, type CgroupContainer } from './cgroup-containers';
import type { EventLoopBudget } from './event-loop-budget';
import { readExecutable, type ExecutableFile, type ExecutableInfo, type IsExecutableLocal } from './executables';
import { readNetworkNamespace } from './network-namespaces';
import { parseCmdline, parseProcessStat, startTimeIso } from './proc-pid';
import { errorCodeOf, isExpectedReadError, listDirectory, readKernelText, readOwnerUid } from './read-files';

export interface ProcessReadContext {
  procRoot: string;
  bootTimeSeconds: number | null;
  clockTicksPerSecond: number;
  userNames: ReadonlyMap<number, string>;
  /** Parsed cgroup files by their text: most processes share a handful of cgroups. */
  cgroupContainers?: Map<string, CgroupContainer | null>;
  /** Whether an executable may be looked at and hashed (not on FUSE or a network file system); no when not given. */
  isExecutableLocal?: IsExecutableLocal;
}

/** Numeric entries of /proc in ascending order, so the first holder found of a shared socket is the lowest pid. */
export function listProcessIds(procRoot: string): number[] {
  const entries = listDirectory(procRoot) ?? [];
  const pids: number[] = [];
  for (const entry of entries) {
    if (/^\d+$/.test(entry)) pids.push(Number(entry));
  }
  return pids.sort((left, right) => left - right);
}

export interface ProcessReading {
  /** Complete but for `exeSha256` and `container`, which the snapshot fills in once every process is known. */
  row: ProcessRow;
  /** Kernel threads and zombies hold no file descriptors, so their fd directories are not worth a look. */
  mayHoldSockets: boolean;
  /** The executable to hash; null when it cannot be looked at. */
  executable: ExecutableFile | null;
  /** What the process's cgroup path says about its container; null for the host. */
  cgroupContainer: CgroupContainer | null;
}

const ZOMBIE_STATES = new Set(['Z', 'X']);
const KERNEL_THREAD_EXECUTABLE: ExecutableInfo = { exe: null, exeDeleted: null, file: null };
const NOT_LOCAL: IsExecutableLocal = () => false;

/** A process's row; null when it exited before its stat file could be read. */
export function readProcess(pid: number, context: ProcessReadContext): ProcessReading | null {
  const directory = `${context.procRoot}/${pid}`;
  // The owner of /proc/PID is the process's effective uid (task_dump_owner), as `Uid:` of status says.
  const uid = readOwnerUid(directory);
  const statText = readKernelText(`${directory}/stat`);
  const stat = statText === null ? null : parseProcessStat(statText);
  if (stat === null) return null;
  const cmdlineText = stat.isKernelThread ? null : readKernelText(`${directory}/cmdline`);
  // Kernel threads run no executable and live in the root cgroup.
  const executable = stat.isKernelThread ? KERNEL_THREAD_EXECUTABLE : readExecutable(context.procRoot, pid, context.isExecutableLocal ?? NOT_LOCAL);
  return {
    row: {
      pid: stat.pid,
      ppid: stat.ppid,
      user: uid === null ? null : (context.userNames.get(uid) ?? null),
      uid,
      command: stat.command.replaceAll('\u0000', ''),
      args: cmdlineText === null ? null : parseCmdline(cmdlineText),
      startedAt: startTimeIso(context.bootTimeSeconds, stat.startTicks, context.clockTicksPerSecond),
      exe: executable.exe,
      exeDeleted: executable.exeDeleted,
      exeSha256: null,
      netns: readNetworkNamespace(context.procRoot, pid),
      container: null,
    },
    mayHoldSockets: !stat.isKernelThread && !ZOMBIE_STATES.has(stat.state),
    executable: executable.file,
    cgroupContainer: stat.isKernelThread ? null : readCgroupContainer(directory, context),
  };
}

function readCgroupContainer(directory: string, context: ProcessReadContext): CgroupContainer | null {
  const text = readKernelText(`${directory}/cgroup`);
  if (text === null) return null;
  const cache = context.cgroupContainers;
  if (cache === undefined) return parseCgroupContainer(text);
  let container = cache.get(text);
  if (container === undefined) {
    container = parseCgroupContainer(text);
    cache.set(text, container);
  }
  return container;
}

export interface ProcessList {
  readings: ProcessReading[];
  /** Pids worth scanning for socket descriptors, in ascending order. */
  socketHolderCandidates: number[];
}

/** Every process still alive, in pid order. */
export async function readProcesses(pids: readonly number[], context: ProcessReadContext, budget: EventLoopBudget): Promise<ProcessList> {
  const readings: ProcessReading[] = [];
  const socketHolderCandidates: number[] = [];
  for (const pid of pids) {
    if (budget.isSpent()) await budget.yieldToEventLoop();
    const reading = readProcess(pid, context);
    if (reading === null) continue;
    readings.push(reading);
    if (reading.mayHoldSockets) socketHolderCandidates.push(pid);
  }
  return { readings, socketHolderCandidates };
}

const SOCKET_LINK_PREFIX = 'socket:[';

/** `socket:[12345]` → 12345; null for any other descriptor (files, pipes, anon inodes). */
export function socketInodeOfLink(link: string): number | null {
  if (!link.startsWith(SOCKET_LINK_PREFIX) || !link.endsWith(']')) return null;
  const inode = Number(link.slice(SOCKET_LINK_PREFIX.length, -1));
  return Number.isSafeInteger(inode) && inode > 0 ? inode : null;
}

/** Permission to read a process's descriptors is all or nothing (a ptrace access check), so one refusal ends its scan. */
function isAccessDenied(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * Records this process as the holder of every wanted, still unclaimed socket among its descriptors
 * and returns how many it claimed. Descriptors closed meanwhile are skipped; a process whose
 * descriptors we may not read claims nothing, so its sockets keep pid null.
 */
export function claimSocketsOfProcess(procRoot: string, pid: number, wantedInodes: ReadonlySet<number>, socketOwners: Map<number, number>): number {
  const fdDirectory = `${procRoot}/${pid}/fd`;
  let descriptors: string[];
  try {
    descriptors = readdirSync(fdDirectory);
  } catch (error) {
    if (isExpectedReadError(error)) return 0;
    throw error;
  }
  let claimed = 0;
  for (const descriptor of descriptors) {
    let link: string;
    try {
      link = readlinkSync(`${fdDirectory}/${descriptor}`);
    } catch (error) {
      if (isAccessDenied(error)) return claimed;
      if (isExpectedReadError(error)) continue;
      throw error;
    }
    const inode = socketInodeOfLink(link);
    if (inode === null || !wantedInodes.has(inode) || socketOwners.has(inode)) continue;
    socketOwners.set(inode, pid);
    claimed += 1;
  }
  return claimed;
}

/**
 * Socket inode → pid of the lowest-numbered process holding it (children often share a parent's
 * listener). The walk stops once every wanted socket has a holder: it is most of a snapshot's cost.
 */
export async function findSocketOwners(
  procRoot: string,
  pids: readonly number[],
  wantedInodes: ReadonlySet<number>,
  budget: EventLoopBudget,
): Promise<Map<number, number>> {
  const socketOwners = new Map<number, number>();
  let unclaimed = wantedInodes.size;
  for (const pid of pids) {
    if (unclaimed === 0) break;
    if (budget.isSpent()) await budget.yieldToEventLoop();
    unclaimed -= claimSocketsOfProcess(procRoot, pid, wantedInodes, socketOwners);
  }
  return socketOwners;
}
