// How a virtual host's rows change over time. Each host starts from its profile (bench/fleet.ts) and
// every snapshot replaces some of its rows by new ones — processes that end while others start,
// connections that close while others open, now and then a listener or an interface (a container's
// veth) — as many per snapshot as the churn plan says (bench/churn-model.ts). A replaced row ends and
// its successor appears: the section keeps its size, as a real host's does over time.
//
// The new rows come from shared pools built once with their JSON and row hash, so a post costs the
// load generator no hashing: a host only remembers, per row of its profile, which pool row (if any)
// stands in that place now. Pools are large enough that a host never holds the same pool row twice.
import { digestOfHashes, rowHash, type RowOf } from '@/lib/schemas/row-hash';
import { isListening, snapshotSchema, type InterfaceRow, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';
import type { ChurnPart } from './churn';
import { workerCommands, type HostProfile } from './fleet';

/** The row sections the bench hosts send (no packages: the built-in collector does not gather them). */
export const benchSections = ['sockets', 'processes', 'interfaces'] as const;
export type BenchSection = (typeof benchSections)[number];

export const sectionOfPart: Record<ChurnPart, BenchSection> = {
  processes: 'processes',
  connections: 'sockets',
  listeners: 'sockets',
  interfaces: 'interfaces',
};

interface PreparedRows<S extends BenchSection> {
  rows: RowOf[S][];
  json: string[];
  hashes: string[];
  digest: string;
}

/** A profile as the server sees it: rows parsed by the contract, each with its JSON and hash. */
export interface PreparedProfile {
  index: number;
  sections: { [S in BenchSection]: PreparedRows<S> };
  /** Per churn part, the row positions (in its section) that may be replaced. */
  slots: Record<ChurnPart, number[]>;
  /** Per sockets position, the part it belongs to (listener or connection). */
  socketPart: ChurnPart[];
  listenerCount: number;
}

function prepareRows<S extends BenchSection>(section: S, rows: RowOf[S][]): PreparedRows<S> {
  const hashes = rows.map((row) => rowHash(section, row));
  return { rows, json: rows.map((row) => JSON.stringify(row)), hashes, digest: digestOfHashes(hashes) };
}

const workerCommandNames = new Set<string>(workerCommands.map(([command]) => command));

export function prepareProfile(index: number, raw: HostProfile): PreparedProfile {
  const parsed = snapshotSchema.parse({
    version: 1,
    host: { name: 'bench-profile' },
    collectedAt: new Date(0).toISOString(),
    idempotencyKey: 'bench-profile',
    ...raw,
  });
  const sockets = parsed.sockets ?? [];
  const processes = parsed.processes ?? [];
  const interfaces = parsed.interfaces ?? [];
  const positions = <Row>(rows: Row[], keep: (row: Row) => boolean) => rows.flatMap((row, position) => (keep(row) ? [position] : []));
  const listenerPositions = positions(sockets, isListening);
  return {
    index,
    sections: { sockets: prepareRows('sockets', sockets), processes: prepareRows('processes', processes), interfaces: prepareRows('interfaces', interfaces) },
    slots: {
      // Programs that come and go: workers, not pid 1, kernel threads or the daemons.
      processes: positions(processes, (row) => row.pid > 1 && workerCommandNames.has(row.command)),
      connections: positions(sockets, (row) => !isListening(row)),
      // One listener per host changes (a program re-binding elsewhere); the rest stay.
      listeners: listenerPositions.slice(-1),
      // The last interface, a container's veth, comes and goes with its container.
      interfaces: interfaces.length > 0 ? [interfaces.length - 1] : [],
    },
    socketPart: sockets.map((row) => (isListening(row) ? 'listeners' : 'connections')),
    listenerCount: listenerPositions.length,
  };
}

interface PoolRow<S extends BenchSection> {
  row: RowOf[S];
  json: string;
  hash: string;
}

export type ReplacementPool = { [P in ChurnPart]: PoolRow<(typeof sectionOfPart)[P]>[] };

const defaultPoolSizes: Record<ChurnPart, number> = { processes: 20_000, connections: 60_000, listeners: 2_000, interfaces: 2_000 };

function poolProcess(k: number): ProcessRow {
  const [command, args] = workerCommands[k % workerCommands.length] as readonly [string, string];
  const isApp = k % 2 === 1;
  return {
    pid: 500_000 + k,
    ppid: 1,
    user: isApp ? 'app' : 'root',
    uid: isApp ? 1001 : 0,
    command,
    args,
    startedAt: new Date(Date.UTC(2026, 10, 1) + k * 1000).toISOString(),
  };
}

function poolConnection(k: number): SocketRow {
  // One in ten is in TIME_WAIT: closed, kept by the kernel for a minute, no owner any more.
  const isTimeWait = k % 10 === 0;
  return {
    proto: 'tcp',
    localAddress: `10.${k % 250}.${(k >> 8) % 256}.9`,
    localPort: 32_768 + (k % 28_000),
    remoteAddress: `10.${(k * 7) % 250}.${(k >> 3) % 256}.${1 + (k % 254)}`,
    remotePort: [443, 5432, 6379, 9092, 8443][k % 5] as number,
    state: isTimeWait ? 'TIME_WAIT' : 'ESTABLISHED',
    pid: isTimeWait ? null : 4000 + (k % 50_000),
    process: isTimeWait ? null : 'python3',
    user: isTimeWait ? null : 'app',
    uid: isTimeWait ? null : 1001,
    inode: isTimeWait ? 0 : 20_000_000 + k,
  };
}

function poolListener(k: number): SocketRow {
  return {
    proto: 'tcp',
    localAddress: '0.0.0.0',
    localPort: 20_000 + (k % 10_000),
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 70_000 + k,
    process: 'node',
    user: 'app',
    uid: 1001,
    inode: 30_000_000 + k,
  };
}

function poolInterface(k: number): InterfaceRow {
  const mac = `02:42:ac:${((k >> 16) & 255).toString(16).padStart(2, '0')}:${((k >> 8) & 255).toString(16).padStart(2, '0')}:${(k & 255).toString(16).padStart(2, '0')}`;
  return {
    name: `veth${(0x5000000 + k).toString(16)}`,
    flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
    promiscuous: false,
    mtu: 1500,
    mac,
    addresses: [],
    rxErrors: 0,
    txErrors: 0,
    rxDropped: 0,
    txDropped: 0,
  };
}

function poolOf<S extends BenchSection>(section: S, size: number, make: (k: number) => RowOf[S]): PoolRow<S>[] {
  return Array.from({ length: size }, (_, k) => {
    const row = make(k);
    return { row, json: JSON.stringify(row), hash: rowHash(section, row) };
  });
}

export function buildReplacementPool(sizes: Record<ChurnPart, number> = defaultPoolSizes): ReplacementPool {
  return {
    processes: poolOf('processes', sizes.processes, poolProcess),
    connections: poolOf('sockets', sizes.connections, poolConnection),
    listeners: poolOf('sockets', sizes.listeners, poolListener),
    interfaces: poolOf('interfaces', sizes.interfaces, poolInterface),
  };
}

/** The part a row position of a section belongs to. */
export function partAt(profile: PreparedProfile, section: BenchSection, position: number): ChurnPart {
  if (section === 'sockets') return profile.socketPart[position] as ChurnPart;
  return section;
}

export interface RowReplacement {
  section: BenchSection;
  position: number;
  endedHash: string;
  appearedHash: string;
}

/** `count` distinct positions out of `slots` (all of them if there are not more). */
export function pickDistinct(slots: readonly number[], count: number, random: () => number): number[] {
  if (count >= slots.length) return [...slots];
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(slots[Math.floor(random() * slots.length)] as number);
  return [...chosen];
}

/**
 * Which rows a host has now: per section and row position, 0 for the profile's row or 1 + the index
 * of the pool row standing in its place. Hosts take pool rows in turn (each from its own offset),
 * so a row that reappears is one that ended long ago.
 */
export class HostRows {
  readonly current: { [S in BenchSection]: Int32Array };
  private readonly nextPoolRow: Record<ChurnPart, number>;

  constructor(
    readonly profile: PreparedProfile,
    private readonly pool: ReplacementPool,
    hostIndex: number,
  ) {
    this.current = {
      sockets: new Int32Array(profile.sections.sockets.rows.length),
      processes: new Int32Array(profile.sections.processes.rows.length),
      interfaces: new Int32Array(profile.sections.interfaces.rows.length),
    };
    const offset = (part: ChurnPart) => (hostIndex * 7919) % pool[part].length;
    this.nextPoolRow = { processes: offset('processes'), connections: offset('connections'), listeners: offset('listeners'), interfaces: offset('interfaces') };
  }

  hashAt(section: BenchSection, position: number): string {
    const value = this.current[section][position] as number;
    return value === 0
      ? (this.profile.sections[section].hashes[position] as string)
      : (this.pool[partAt(this.profile, section, position)][value - 1] as PoolRow<BenchSection>).hash;
  }

  jsonAt(section: BenchSection, position: number): string {
    const value = this.current[section][position] as number;
    return value === 0
      ? (this.profile.sections[section].json[position] as string)
      : (this.pool[partAt(this.profile, section, position)][value - 1] as PoolRow<BenchSection>).json;
  }

  rowAt<S extends BenchSection>(section: S, position: number): RowOf[S] {
    const value = this.current[section][position] as number;
    return value === 0
      ? (this.profile.sections[section].rows[position] as RowOf[S])
      : ((this.pool[partAt(this.profile, section, position)][value - 1] as PoolRow<BenchSection>).row as RowOf[S]);
  }

  /** Replaces `count` rows of the part at distinct random positions (fewer if the part has fewer rows). */
  replaceRandom(part: ChurnPart, count: number, random: () => number): RowReplacement[] {
    return pickDistinct(this.profile.slots[part], count, random).map((position) => this.replaceAt(part, position));
  }

  /** Puts the part's next pool row at this position: the row there ends, the pool row appears. */
  replaceAt(part: ChurnPart, position: number): RowReplacement {
    const section = sectionOfPart[part];
    const endedHash = this.hashAt(section, position);
    const pool = this.pool[part];
    const next = this.nextPoolRow[part];
    this.nextPoolRow[part] = (next + 1) % pool.length;
    this.current[section][position] = next + 1;
    return { section, position, endedHash, appearedHash: (pool[next] as PoolRow<BenchSection>).hash };
  }

  /** The section's rows as JSON array text. */
  sectionJson(section: BenchSection): string {
    const rows = this.current[section];
    const parts = new Array<string>(rows.length);
    for (let position = 0; position < rows.length; position += 1) parts[position] = this.jsonAt(section, position);
    return `[${parts.join(',')}]`;
  }

  sectionRows<S extends BenchSection>(section: S): RowOf[S][] {
    return Array.from(this.current[section], (_, position) => this.rowAt(section, position));
  }
}
