// Native Linux gathering: sockets, processes and interfaces read straight from /proc and /sys,
// without running ss, ps, ip or any other tool.
import { endianness, hostname, machine, release } from 'node:os';
import type { Container, InterfaceRow, ProcessRow, Snapshot, SocketRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import { DEFAULT_CLOCK_TICKS, parseClockTicks } from './auxv';
import type { CgroupContainer } from './cgroup-containers';
import { ContainerCatalog, containerKey, type ContainerDetails } from './container-catalog';
import { createEventLoopBudget, type EventLoopBudget } from './event-loop-budget';
import { DEFAULT_HASH_BUDGET, ExecutableHashCache, type ExecutableToHash, type HashBudget } from './executable-hashes';
import { gatherInterfaces, readSystemIpv4Addresses, type ForeignSysfs } from './interfaces';
import { containerOfNamespace } from './namespace-containers';
import { LocalFilesystems } from './filesystems';
import { findNamespaceSysfs } from './namespace-sysfs';
import { groupByNamespace, readHostNetworkNamespace, readNetworkNamespace } from './network-namespaces';
import type { KernelSocket, ParseProcNetOptions } from './proc-net-sockets';
import { parseBootTime } from './proc-pid';
import { isOnSysfs, readBytes, readKernelText, readText } from './read-files';
import { findSocketOwners, listProcessIds, readProcesses, type ProcessReading } from './scan-processes';
import { inodesOf, readKernelSockets, toSocketRows, type NamespaceTag } from './sockets';
import { describeOperatingSystem, parsePrettyName, parseUserHomes, parseUserNames, sanitizeHostName } from './system-files';

export interface LinuxGatherOptions {
  /** Where procfs is mounted; a copied tree in tests. */
  procRoot?: string;
  /** Where sysfs is mounted. */
  sysRoot?: string;
  /** Where passwd and os-release are read from. */
  etcRoot?: string;
  /** Where container runtimes keep their state (var/lib/docker, run/containerd, var/log/pods, …). */
  runtimeRoot?: string;
  /** Executable digests kept between snapshots; every live gather shares one unless told otherwise. */
  hashCache?: ExecutableHashCache;
  /** How much hashing one snapshot may do; the rest waits for the next. */
  hashBudget?: HashBudget;
  /** Parsed runtime state files kept between snapshots; shared like the digests. */
  containerCatalog?: ContainerCatalog;
  /** Whether a path is on a sysfs (statfs); a copied tree in tests says yes to stand in for one. */
  isSysfs?: (path: string) => boolean;
  /**
   * TIME_WAIT entries are connections already closed, which nobody holds and which churn most
   * between snapshots on a busy host: left out unless asked for.
   */
  includeTimeWait?: boolean;
}

export type GatheredSnapshot = Omit<Snapshot, 'version' | 'collectedAt' | 'idempotencyKey'>;

const DEFAULT_PROC_ROOT = '/proc';
const DEFAULT_SYS_ROOT = '/sys';
const DEFAULT_ETC_ROOT = '/etc';
const DEFAULT_RUNTIME_ROOT = '/';
/** Members of a namespace tried in turn for its tables: the first may exit while we look. */
const MAX_TABLE_READERS = 8;
/** /proc/PID/exe links kept per binary to open it by: any process running it will do. */
const MAX_PATHS_PER_EXECUTABLE = 4;

// A long-running collector (the `run` daemon, the server's built-in one) pays for each binary's
// digest and each runtime file's parse once, not once per snapshot.
const sharedHashCache = new ExecutableHashCache();
const sharedContainerCatalog = new ContainerCatalog();

/** USER_HZ from our own auxiliary vector (every process gets the same value). */
function readClockTicks(procRoot: string): number {
  const auxv = readBytes(`${procRoot}/self/auxv`);
  const wordSize = process.arch === 'arm' || process.arch === 'ia32' ? 4 : 8;
  const clockTicks = auxv === null ? null : parseClockTicks(auxv, wordSize, endianness());
  return clockTicks ?? DEFAULT_CLOCK_TICKS;
}

function readHost(procRoot: string, etcRoot: string, hostNetns: number | null): GatheredSnapshot['host'] {
  const kernelRelease = readKernelText(`${procRoot}/sys/kernel/osrelease`)?.trim() || release();
  // os-release(5): /etc/os-release, falling back to /usr/lib/os-release.
  const osReleaseText = readText(`${etcRoot}/os-release`) ?? readText(`${etcRoot}/../usr/lib/os-release`);
  return {
    name: sanitizeHostName(hostname()),
    os: describeOperatingSystem(kernelRelease, machine(), osReleaseText === null ? null : parsePrettyName(osReleaseText)),
    kernel: kernelRelease,
    netns: hostNetns,
  };
}

/** Another namespace's sockets, read through one of its members, and which member that was. */
interface NamespaceTables {
  netns: number;
  readerPid: number;
  sockets: KernelSocket[];
}

/**
 * The tables of a namespace we are not in, through the first member still alive. The member's
 * namespace is checked again afterwards: a pid that exited and was reused meanwhile would have
 * shown us another namespace's tables.
 */
function readNamespaceTables(
  procRoot: string,
  netns: number,
  members: readonly number[],
  byteOrder: ByteOrder,
  tableOptions: ParseProcNetOptions,
): NamespaceTables | null {
  for (const pid of members.slice(0, MAX_TABLE_READERS)) {
    const sockets = readKernelSockets(`${procRoot}/${pid}/net`, byteOrder, tableOptions);
    if (sockets !== null && readNetworkNamespace(procRoot, pid) === netns) return { netns, readerPid: pid, sockets };
  }
  return null;
}

/** Distinct binaries of all processes, each with the /proc/PID/exe links that open it. */
function executablesToHash(procRoot: string, readings: readonly ProcessReading[]): ExecutableToHash[] {
  const byKey = new Map<string, ExecutableToHash>();
  for (const { row, executable } of readings) {
    if (executable === null) continue;
    const path = `${procRoot}/${row.pid}/exe`;
    const entry = byKey.get(executable.key);
    if (entry === undefined) byKey.set(executable.key, { key: executable.key, size: executable.size, paths: [path] });
    else if (entry.paths.length < MAX_PATHS_PER_EXECUTABLE) entry.paths.push(path);
  }
  return [...byKey.values()];
}

/** Each process's container, and each namespace's (none for the host's own). */
function tagContainers(
  readings: readonly ProcessReading[],
  describedContainers: ReadonlyMap<string, ContainerDetails>,
  hostNetns: number | null,
): Map<number, Container | null> {
  const membersByNamespace = new Map<number, ContainerDetails[]>();
  for (const reading of readings) {
    const details = reading.cgroupContainer === null ? undefined : describedContainers.get(containerKey(reading.cgroupContainer));
    reading.row.container = details?.tag ?? null;
    const netns = reading.row.netns;
    if (netns === null || netns === undefined || netns === hostNetns) continue;
    const members = membersByNamespace.get(netns) ?? [];
    if (details !== undefined) members.push(details);
    membersByNamespace.set(netns, members);
  }
  return new Map([...membersByNamespace].map(([netns, members]) => [netns, containerOfNamespace(members)]));
}

function withNamespace(rows: readonly InterfaceRow[], tag: NamespaceTag): InterfaceRow[] {
  return rows.map((row) => ({ ...row, netns: tag.netns, container: tag.container }));
}

export async function gatherLinuxSnapshot(options: LinuxGatherOptions = {}): Promise<GatheredSnapshot> {
  const procRoot = options.procRoot ?? DEFAULT_PROC_ROOT;
  const sysRoot = options.sysRoot ?? DEFAULT_SYS_ROOT;
  const etcRoot = options.etcRoot ?? DEFAULT_ETC_ROOT;
  const runtimeRoot = options.runtimeRoot ?? DEFAULT_RUNTIME_ROOT;
  const byteOrder = endianness();
  const tableOptions: ParseProcNetOptions = { includeTimeWait: options.includeTimeWait ?? false };
  const budget = createEventLoopBudget();

  const filesystems = new LocalFilesystems(procRoot);
  const ownNetns = readNetworkNamespace(procRoot, 'self');
  const hostNetns = readHostNetworkNamespace(procRoot, ownNetns);
  // Our own namespace's sockets first, so that the descriptor walk only looks for inodes that exist.
  const ownSockets = readKernelSockets(`${procRoot}/net`, byteOrder, tableOptions) ?? [];
  const passwdText = readText(`${etcRoot}/passwd`) ?? '';
  const userNames = parseUserNames(passwdText);
  const procStatText = readKernelText(`${procRoot}/stat`);
  const pids = listProcessIds(procRoot);
  const { readings, socketHolderCandidates } = await readProcesses(
    pids,
    {
      procRoot,
      bootTimeSeconds: procStatText === null ? null : parseBootTime(procStatText),
      clockTicksPerSecond: readClockTicks(procRoot),
      userNames,
      cgroupContainers: new Map(),
      isExecutableLocal: (pid, link) => filesystems.isExecutableLocal(pid, link),
    },
    budget,
  );

  const members = groupByNamespace(new Map(readings.map(({ row }) => [row.pid, row.netns ?? null])));
  const otherNamespaces = await readOtherNamespaces(procRoot, members, ownNetns, byteOrder, tableOptions, budget);
  const wantedInodes = inodesOf([...ownSockets, ...otherNamespaces.flatMap((tables) => tables.sockets)]);
  const socketOwners = await findSocketOwners(procRoot, socketHolderCandidates, wantedInodes, budget);

  const cgroupContainers = readings.map((reading) => reading.cgroupContainer).filter((container): container is CgroupContainer => container !== null);
  let homes: Map<number, string> | undefined;
  const describedContainers = (options.containerCatalog ?? sharedContainerCatalog).describeAll(cgroupContainers, {
    runtimeRoot,
    // A home on NFS or FUSE could keep us waiting forever: rootless containers there stay unnamed.
    homeOfUid: (uid) => {
      const home = (homes ??= parseUserHomes(passwdText)).get(uid);
      return home !== undefined && filesystems.isPathLocal(home) ? home : null;
    },
  });
  const namespaceContainers = tagContainers(readings, describedContainers, hostNetns);
  const tagOf = (netns: number | null): NamespaceTag => ({ netns, container: netns === null ? null : (namespaceContainers.get(netns) ?? null) });

  const hashCache = options.hashCache ?? sharedHashCache;
  await hashCache.hashWithinBudget(executablesToHash(procRoot, readings), options.hashBudget ?? DEFAULT_HASH_BUDGET, budget);
  const processes: ProcessRow[] = readings.map(({ row, executable }) => {
    row.exeSha256 = executable === null ? null : hashCache.digestOf(executable.key);
    return row;
  });
  const processesByPid = new Map(processes.map((process) => [process.pid, process]));

  const sockets: SocketRow[] = [
    ...toSocketRows(ownSockets, socketOwners, processesByPid, userNames, tagOf(ownNetns)),
    ...otherNamespaces.flatMap((tables) => toSocketRows(tables.sockets, socketOwners, processesByPid, userNames, tagOf(tables.netns))),
  ];

  const interfaces: InterfaceRow[] = withNamespace(
    gatherInterfaces({
      netDirectory: `${procRoot}/net`,
      sysRoot,
      byteOrder,
      // getifaddrs describes this machine, so it only joins a gather of the live /proc.
      systemIpv4Addresses: procRoot === DEFAULT_PROC_ROOT ? readSystemIpv4Addresses() : [],
    }),
    tagOf(ownNetns),
  );
  const foreignSysfs: ForeignSysfs = {
    isSysfs: options.isSysfs ?? isOnSysfs,
    isRootWalkable: (pid) => filesystems.hasLocalRootAndSysfs(pid),
  };
  for (const tables of otherNamespaces) {
    if (budget.isSpent()) await budget.yieldToEventLoop();
    interfaces.push(...withNamespace(gatherNamespaceInterfaces(procRoot, tables, members, byteOrder, foreignSysfs), tagOf(tables.netns)));
  }

  return { host: readHost(procRoot, etcRoot, hostNetns), sockets, processes, interfaces };
}

/**
 * Another namespace's interfaces, from a sysfs of its own; none without one: its flags cannot be
 * read then, and a row without flags would claim "not promiscuous".
 */
function gatherNamespaceInterfaces(
  procRoot: string,
  tables: NamespaceTables,
  members: ReadonlyMap<number, number[]>,
  byteOrder: ByteOrder,
  foreignSysfs: ForeignSysfs,
): InterfaceRow[] {
  const netDirectory = `${procRoot}/${tables.readerPid}/net`;
  const sysRoot = findNamespaceSysfs(procRoot, members.get(tables.netns) ?? [], netDirectory, foreignSysfs);
  return sysRoot === null ? [] : gatherInterfaces({ netDirectory, sysRoot, byteOrder, systemIpv4Addresses: [], foreignSysfs });
}

/** The tables of every namespace but our own, in namespace order, giving the event loop a turn between them. */
async function readOtherNamespaces(
  procRoot: string,
  members: ReadonlyMap<number, number[]>,
  ownNetns: number | null,
  byteOrder: ByteOrder,
  tableOptions: ParseProcNetOptions,
  budget: EventLoopBudget,
): Promise<NamespaceTables[]> {
  const namespaces = [...members.keys()].filter((netns) => netns !== ownNetns).sort((left, right) => left - right);
  const tables: NamespaceTables[] = [];
  for (const netns of namespaces) {
    if (budget.isSpent()) await budget.yieldToEventLoop();
    const read = readNamespaceTables(procRoot, netns, members.get(netns) ?? [], byteOrder, tableOptions);
    if (read !== null) tables.push(read);
  }
  return tables;
}
