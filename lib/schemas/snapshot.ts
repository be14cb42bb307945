// Snapshot JSON, version 1: the contract between collectors and the server (documented for clients as `SnapshotUpload` in the API document, docs/api.md).
// Shared by the collector (which builds it) and the ingest API (which validates it), so both
// sides agree on every field, limit and null.
import { z } from 'zod';

export const SNAPSHOT_VERSION = 1;

// Every string that a monitored host sends is attacker-controlled: bounded, free of NUL bytes
// (PostgreSQL text cannot hold them, and they hide the rest of a name in most tools) and of lone
// UTF-16 surrogates (not text at all: PostgreSQL and JSON tools refuse or mangle them).
const hasNoNul = (value: string) => !value.includes('\u0000');
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(hasNoNul, 'must not contain NUL bytes')
    .refine((value) => value.isWellFormed(), 'must be well-formed Unicode (no lone surrogate)');
const nonEmptyText = (max: number) => text(max).min(1);

export const port = z.number().int().min(0).max(65535);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const pid = z
  .number()
  .int()
  .min(0)
  .max(4_194_304 * 16);
const uid = z.number().int().min(0).max(4_294_967_295);
// Years 1970–9999: a collector's clock can be reset to the epoch, but year 0 is no real reading and
// PostgreSQL's timestamp cannot hold it.
const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const isoTimestamp = z.iso.datetime({ offset: true }).refine((value) => {
  const instant = Date.parse(value);
  return instant >= EARLIEST_INSTANT && instant <= LATEST_INSTANT;
}, 'must be between 1970 and 9999');

/** Host names travel in URLs and socket.io room names: letters, digits, dot, dash, underscore. */
export const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dot, dash or underscore');

const socketProtocols = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'] as const;
export const socketProtocol = z.enum(socketProtocols);

/**
 * The container a row belongs to, as far as /proc/<pid>/cgroup and the runtime's own files tell
 * (collector/gather/linux/containers). Absent or null: the host itself, or not known.
 */
export const containerSchema = z.strictObject({
  /** docker, containerd, cri-o, podman, lxc, systemd-nspawn, … as the cgroup path names it. */
  runtime: nonEmptyText(32),
  /** The runtime's id (64 hex digits for docker/containerd/cri-o/podman). */
  id: nonEmptyText(128),
  name: text(253).nullable(),
  /** Kubernetes pod, when the cgroup and kubelet paths tell it. */
  podNamespace: text(253).nullable().optional(),
  podName: text(253).nullable().optional(),
});

/**
 * Network namespace, the inode of /proc/<pid>/ns/net (the number lsns prints): given on a row only
 * when it is not the host's own (`host.netns`); absent or null means the host's namespace.
 */
const netns = count.nullable().optional();

/** How an address field is to be read when it is not a numeric address: a host name, or text the tool cut short. */
const addressKind = z.enum(['name', 'truncated']);

export const socketSchema = z.strictObject({
  proto: socketProtocol,
  /** `*` for "any address" where the tool prints it so (BSD netstat, lsof); 0.0.0.0 / :: where it says so. */
  localAddress: nonEmptyText(64),
  localPort: port.nullable(),
  remoteAddress: text(64).nullable(),
  remotePort: port.nullable(),
  /** TCP state as the kernel names it (LISTEN, ESTABLISHED, ...); null for UDP and raw without a state. */
  state: text(32).nullable(),
  /** null when the owner cannot be seen (not root, another namespace, a tool that does not say). */
  pid: pid.nullable(),
  process: text(4096).nullable(),
  user: text(256).nullable(),
  uid: uid.nullable(),
  inode: count.nullable().optional(),
  /** Absent or null: a numeric address (or `*`). */
  localAddressKind: addressKind.nullable().optional(),
  remoteAddressKind: addressKind.nullable().optional(),
  /** The service name the tool printed where the bundled service table knows no port for it (the port is then null). */
  localService: text(64).nullable().optional(),
  remoteService: text(64).nullable().optional(),
  netns,
  container: containerSchema.nullable().optional(),
});

export const processSchema = z.strictObject({
  pid,
  ppid: pid.nullable(),
  user: text(256).nullable(),
  uid: uid.nullable(),
  command: text(4096),
  args: text(65_536).nullable(),
  startedAt: isoTimestamp.nullable(),
  /** /proc/<pid>/exe: the executable's path (without the kernel's " (deleted)" suffix). */
  exe: text(4096).nullable().optional(),
  /** The executable was deleted from disk while the process runs. */
  exeDeleted: z.boolean().nullable().optional(),
  /** SHA-256 of the executable, lowercase hex; null when unreadable or over the hashing budget. */
  exeSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits')
    .nullable()
    .optional(),
  netns,
  container: containerSchema.nullable().optional(),
});

export const interfaceSchema = z.strictObject({
  name: nonEmptyText(64),
  flags: z.array(nonEmptyText(32)).max(64),
  promiscuous: z.boolean(),
  mtu: count.nullable(),
  mac: text(64).nullable(),
  addresses: z.array(nonEmptyText(128)).max(1024),
  rxErrors: count.nullable().optional(),
  txErrors: count.nullable().optional(),
  rxDropped: count.nullable().optional(),
  txDropped: count.nullable().optional(),
  netns,
  container: containerSchema.nullable().optional(),
});

// Caps per section, far above what a real host reports (the busiest servers seen hold tens of
// thousands of connections, a few thousand processes), so that one snapshot, however hostile, costs
// the server a bounded amount of work (docs/security.md). Beyond them: 400 naming the section.
export const MAX_SOCKETS = 50_000;
export const MAX_PROCESSES = 30_000;
export const MAX_INTERFACES = 4_096;
export const MAX_PACKAGES = 100_000;
const MAX_TRACEROUTES = 32;
export const MAX_HOPS = 64;
const MAX_PROBES_PER_HOP = 10;

/** A target to trace, as a collector's settings give it: a host name or an IP address, never anything traceroute could read as an option. */
export const tracerouteTarget = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9.:_%][A-Za-z0-9.:_%-]*$/);

const probeSchema = z.strictObject({
  address: text(64).nullable(),
  name: text(253).nullable(),
  /** null for a `*` (no answer within the wait time). */
  rttMs: z.number().min(0).max(3_600_000).nullable(),
  annotation: text(16).nullable(),
});

export const hopSchema = z.strictObject({
  hop: z.number().int().min(1).max(255),
  // traceroute sends at most 10 probes per hop (-q).
  probes: z.array(probeSchema).max(MAX_PROBES_PER_HOP, `at most ${MAX_PROBES_PER_HOP} probes per hop`),
  /** The hop's text as printed, when the parser could not read it (its probes are then empty). */
  unparsed: text(512).nullable().optional(),
});

export const tracerouteSchema = z.strictObject({
  target: nonEmptyText(253),
  targetAddress: text(64).nullable(),
  startedAt: isoTimestamp.nullable().optional(),
  hops: z.array(hopSchema).max(MAX_HOPS, `at most ${MAX_HOPS} hops per run`),
});

/** Run metadata in the spirit of WebJob's `.env` file: how the data was produced. */
export const runSchema = z.strictObject({
  commandLine: text(8192).nullable().optional(),
  exitStatus: z.number().int().min(-1).max(255).nullable().optional(),
  signal: z.number().int().min(0).max(255).nullable().optional(),
  reason: text(1024).nullable().optional(),
  hostname: text(253).nullable().optional(),
  systemOs: text(256).nullable().optional(),
  jobEpoch: isoTimestamp.nullable().optional(),
  getEpoch: isoTimestamp.nullable().optional(),
  runEpoch: isoTimestamp.nullable().optional(),
  putEpoch: isoTimestamp.nullable().optional(),
});

/** One installed package, as the package manager records it. */
export const packageSources = ['dpkg', 'rpm', 'apk'] as const;
export const packageSchema = z.strictObject({
  name: nonEmptyText(256),
  /** As the package manager prints it: `[epoch:]version[-release]`. */
  version: nonEmptyText(256),
  arch: text(64).nullable(),
  source: z.enum(packageSources),
  /** When the package manager records it (rpm, apk); null otherwise (dpkg). */
  installedAt: isoTimestamp.nullable(),
});

export const snapshotSchema = z.strictObject({
  version: z.literal(SNAPSHOT_VERSION),
  host: z.strictObject({
    name: hostName,
    os: text(256).nullable().optional(),
    kernel: text(256).nullable().optional(),
    /** The host's own network namespace; rows in another one carry theirs (`netns`), with their container when known. */
    netns,
  }),
  collectedAt: isoTimestamp,
  idempotencyKey: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, dot, dash, colon or underscore'),
  collectorVersion: text(64).nullable().optional(),
  run: runSchema.nullable().optional(),
  // An absent section means "not collected", never "empty".
  sockets: z.array(socketSchema).max(MAX_SOCKETS, `at most ${MAX_SOCKETS} sockets per snapshot`).optional(),
  processes: z.array(processSchema).max(MAX_PROCESSES, `at most ${MAX_PROCESSES} processes per snapshot`).optional(),
  interfaces: z.array(interfaceSchema).max(MAX_INTERFACES, `at most ${MAX_INTERFACES} interfaces per snapshot`).optional(),
  traceroutes: z.array(tracerouteSchema).max(MAX_TRACEROUTES, `at most ${MAX_TRACEROUTES} traceroute runs per snapshot`).optional(),
  packages: z.array(packageSchema).max(MAX_PACKAGES, `at most ${MAX_PACKAGES} packages per snapshot`).optional(),
});

export type SocketRow = z.infer<typeof socketSchema>;
export type ProcessRow = z.infer<typeof processSchema>;
export type InterfaceRow = z.infer<typeof interfaceSchema>;
export type TracerouteProbe = z.infer<typeof probeSchema>;
export type TracerouteHop = z.infer<typeof hopSchema>;
export type TracerouteRun = z.infer<typeof tracerouteSchema>;
export type RunMetadata = z.infer<typeof runSchema>;
export type Container = z.infer<typeof containerSchema>;
export type PackageRow = z.infer<typeof packageSchema>;
export type PackageSource = (typeof packageSources)[number];
export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotSection = 'sockets' | 'processes' | 'interfaces' | 'traceroutes' | 'packages';
export const snapshotSections: readonly SnapshotSection[] = ['sockets', 'processes', 'interfaces', 'traceroutes', 'packages'];

/** Listening = state LISTEN for TCP, no remote peer for UDP (an unconnected datagram socket). */
export function isListening(socket: SocketRow): boolean {
  if (socket.proto === 'tcp' || socket.proto === 'tcp6') return socket.state === 'LISTEN';
  if (socket.proto === 'udp' || socket.proto === 'udp6') {
    return socket.remoteAddress === null || isAnyAddress(socket.remoteAddress);
  }
  return false;
}

export function isAnyAddress(address: string): boolean {
  return address === '*' || address === '0.0.0.0' || address === '::' || address === '[::]';
}
