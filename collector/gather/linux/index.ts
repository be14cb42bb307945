// Native Linux gathering: sockets, processes and interfaces read straight from /proc and /sys,
// without running ss, ps, ip or any other tool.
import { endianness, hostname, machine, release } from 'node:os';
import type { Snapshot } from '../../../lib/schemas/snapshot';
import { DEFAULT_CLOCK_TICKS, parseClockTicks } from './auxv';
import { createEventLoopBudget } from './event-loop-budget';
import { gatherInterfaces, readSystemIpv4Addresses } from './interfaces';
import { parseBootTime } from './proc-pid';
import { readBytes, readKernelText, readText } from './read-files';
import { findSocketOwners, listProcessIds, readProcesses } from './scan-processes';
import { inodesOf, readKernelSockets, toSocketRows } from './sockets';
import { describeOperatingSystem, parsePrettyName, parseUserNames, sanitizeHostName } from './system-files';

export interface LinuxGatherOptions {
  /** Where procfs is mounted; a copied tree in tests. */
  procRoot?: string;
  /** Where sysfs is mounted. */
  sysRoot?: string;
  /** Where passwd and os-release are read from. */
  etcRoot?: string;
}

export type GatheredSnapshot = Omit<Snapshot, 'version' | 'collectedAt' | 'idempotencyKey'>;

const DEFAULT_PROC_ROOT = '/proc';
const DEFAULT_SYS_ROOT = '/sys';
const DEFAULT_ETC_ROOT = '/etc';

/** USER_HZ from our own auxiliary vector (every process gets the same value). */
function readClockTicks(procRoot: string): number {
  const auxv = readBytes(`${procRoot}/self/auxv`);
  const wordSize = process.arch === 'arm' || process.arch === 'ia32' ? 4 : 8;
  const clockTicks = auxv === null ? null : parseClockTicks(auxv, wordSize, endianness());
  return clockTicks ?? DEFAULT_CLOCK_TICKS;
}

function readHost(procRoot: string, etcRoot: string): GatheredSnapshot['host'] {
  const kernelRelease = readKernelText(`${procRoot}/sys/kernel/osrelease`)?.trim() || release();
  // os-release(5): /etc/os-release, falling back to /usr/lib/os-release.
  const osReleaseText = readText(`${etcRoot}/os-release`) ?? readText(`${etcRoot}/../usr/lib/os-release`);
  return {
    name: sanitizeHostName(hostname()),
    os: describeOperatingSystem(kernelRelease, machine(), osReleaseText === null ? null : parsePrettyName(osReleaseText)),
    kernel: kernelRelease,
  };
}

export async function gatherLinuxSnapshot(options: LinuxGatherOptions = {}): Promise<GatheredSnapshot> {
  const procRoot = options.procRoot ?? DEFAULT_PROC_ROOT;
  const sysRoot = options.sysRoot ?? DEFAULT_SYS_ROOT;
  const etcRoot = options.etcRoot ?? DEFAULT_ETC_ROOT;
  const byteOrder = endianness();
  const budget = createEventLoopBudget();

  // Sockets first, so that the descriptor walk only looks for inodes that exist.
  const kernelSockets = readKernelSockets(procRoot, byteOrder);
  const userNames = parseUserNames(readText(`${etcRoot}/passwd`) ?? '');
  const procStatText = readKernelText(`${procRoot}/stat`);
  const pids = listProcessIds(procRoot);
  const { processes, socketHolderCandidates } = await readProcesses(
    pids,
    {
      procRoot,
      bootTimeSeconds: procStatText === null ? null : parseBootTime(procStatText),
      clockTicksPerSecond: readClockTicks(procRoot),
      userNames,
    },
    budget,
  );
  const socketOwners = await findSocketOwners(procRoot, socketHolderCandidates, inodesOf(kernelSockets), budget);

  return {
    host: readHost(procRoot, etcRoot),
    sockets: toSocketRows(kernelSockets, socketOwners, processes, userNames),
    processes,
    interfaces: gatherInterfaces({
      procRoot,
      sysRoot,
      byteOrder,
      // getifaddrs describes this machine, so it only joins a gather of the live /proc.
      systemIpv4Addresses: procRoot === DEFAULT_PROC_ROOT ? readSystemIpv4Addresses() : [],
    }),
  };
}
