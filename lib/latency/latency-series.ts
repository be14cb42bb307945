// Latency over time for one traceroute target of one host, in the spirit of SmokePing and mtr:
// per run and per hop the min / median / max RTT and the loss, an mtr-style table over the window,
// and the events worth marking on the time axis (latency-jump alerts, inventory changes).
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { AppError } from '@/lib/errors';
import { queryText } from '@/lib/http/query-fields';
import type { DiffSummary } from '@/lib/diff/types';
import { sortHops } from '@/lib/diff/traceroute-diff';
import type { TracerouteHop, TracerouteProbe } from '@/lib/schemas/snapshot';

/** Runs per answer: enough for a day at a three-minute interval, small enough for one chart. */
const MAX_LATENCY_RUNS = 500;
const MAX_INVENTORY_MARKS = 200;
const DEFAULT_WINDOW = '24h';
/** Sections whose change is an inventory change (kept in step with the SQL in listInventoryChanges). */
const INVENTORY_SECTIONS = ['sockets', 'processes', 'interfaces'] as const;

/** No window reaches further back than the longest retention (SOCKSCOPE_RETENTION_*_DAYS ≤ 36,500). */
const MAX_WINDOW_DAYS = 36_500;
const EARLIEST_SINCE = Date.UTC(1970, 0, 1);
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const relativeWindow = z
  .string()
  .regex(/^\d{1,8}[mhd]$/, 'must be an ISO time or a duration such as 90m, 24h, 7d')
  .refine((window) => windowMs(window) <= MAX_WINDOW_DAYS * unitMs.d, `must be at most ${MAX_WINDOW_DAYS}d`);
// A year-0 or year-275760 time is valid ISO but no timestamp PostgreSQL (or a Date) can hold.
const absoluteSince = z.iso
  .datetime({ offset: true })
  .refine((time) => Date.parse(time) >= EARLIEST_SINCE && Date.parse(time) <= Date.UTC(9999, 11, 31), 'must be a time between 1970 and 9999');

export const latencyQuerySchema = z.object({
  target: queryText(253).pipe(z.string().min(1)).optional(),
  /** An ISO time, or a duration back from now: `90m`, `24h`, `7d`. */
  since: z.union([absoluteSince, relativeWindow]).default(DEFAULT_WINDOW),
  limit: z.coerce.number().int().min(1).max(MAX_LATENCY_RUNS).default(MAX_LATENCY_RUNS),
});
export type LatencyQuery = z.infer<typeof latencyQuerySchema>;

export interface HopStats {
  hop: number;
  minMs: number | null;
  medianMs: number | null;
  maxMs: number | null;
  /** Share of probes without an answer (`*`), 0..1; null when the hop sent no probes. */
  loss: number | null;
  sent: number;
  received: number;
  /** The last probe that answered, as mtr's "Last" shows it. */
  lastMs: number | null;
  /** Distinct `!H`-style annotations of the hop's probes. */
  annotations: string[];
  /** Distinct addresses that answered (load balancers answer with several). */
  addresses: string[];
  names: string[];
}

interface LatencyRun {
  snapshotId: string;
  at: string;
  targetAddress: string | null;
  hops: HopStats[];
}

/** One row of the mtr-style table: every probe of the hop in the window. */
export interface HopSummary {
  hop: number;
  addresses: string[];
  names: string[];
  sent: number;
  lossPercent: number | null;
  lastMs: number | null;
  avgMs: number | null;
  bestMs: number | null;
  worstMs: number | null;
  stdevMs: number | null;
  annotations: string[];
}

interface LatencyJumpMark {
  alertId: number;
  at: string;
  firstSeenAt: string;
  hop: number | null;
  state: string;
  message: string;
}

interface InventoryChangeMark {
  snapshotId: string;
  at: string;
  sections: string[];
  summary: Partial<Record<(typeof INVENTORY_SECTIONS)[number], { added: number; removed: number; changed: number }>>;
}

export interface LatencySeries {
  host: string;
  since: string;
  targets: string[];
  target: string | null;
  targetAddress: string | null;
  /** Oldest first. */
  runs: LatencyRun[];
  /** True when more runs exist in the window than were returned (the newest are kept). */
  truncated: boolean;
  hopTable: HopSummary[];
  latencyJumps: LatencyJumpMark[];
  inventoryChanges: InventoryChangeMark[];
}

export async function getLatencySeries(prisma: PrismaClient, hostName: string, query: LatencyQuery, now = new Date()): Promise<LatencySeries> {
  const host = await prisma.host.findUnique({ where: { name: hostName }, select: { id: true, name: true } });
  if (!host) throw new AppError('not_found', `No host named ${hostName}.`);
  const since = resolveSince(query.since, now);

  const targets = (
    await prisma.$queryRaw<{ target: string }[]>`
      SELECT DISTINCT r."target" FROM "TracerouteRun" r
        JOIN "Snapshot" s ON s."hostId" = r."hostId" AND s."seq" = r."seq"
       WHERE r."hostId" = ${host.id} AND s."collectedAt" >= ${since}
       ORDER BY r."target"`
  ).map((row) => row.target);
  const target = pickTarget(query.target, targets);

  const newestFirst = target === null ? [] : await readRuns(prisma, host.id, target, since, query.limit + 1);
  const truncated = newestFirst.length > query.limit;
  const measured = newestFirst.slice(0, query.limit).reverse();
  const runs = measured.map(({ probesByHop: _probes, ...run }) => run);
  const [latencyJumps, inventoryChanges] = await Promise.all([
    target === null ? [] : listLatencyJumps(prisma, host.id, target, since),
    listInventoryChanges(prisma, host.id, since),
  ]);
  return {
    host: host.name,
    since: since.toISOString(),
    targets,
    target,
    targetAddress: runs.at(-1)?.targetAddress ?? null,
    runs,
    truncated,
    hopTable: summarizeHops(measured),
    latencyJumps,
    inventoryChanges,
  };
}

function resolveSince(since: string, now: Date): Date {
  if (!/^\d+[mhd]$/.test(since)) return new Date(since);
  return new Date(now.getTime() - windowMs(since));
}

function windowMs(window: string): number {
  const unit = window.slice(-1) as keyof typeof unitMs;
  return Number(window.slice(0, -1)) * unitMs[unit];
}

/** The asked target as stored (names are case-insensitive), else the first one in the window. */
function pickTarget(asked: string | undefined, targets: readonly string[]): string | null {
  if (asked === undefined) return targets[0] ?? null;
  return targets.find((target) => target === asked) ?? targets.find((target) => target.toLowerCase() === asked.toLowerCase()) ?? asked;
}

/** A run with its raw probes, kept on the server for the mtr table. */
type MeasuredRun = LatencyRun & { probesByHop: Map<number, TracerouteProbe[]> };

interface StoredRun {
  snapshotId: string;
  collectedAt: Date;
  startedAt: Date | null;
  targetAddress: string | null;
  hops: TracerouteHop[];
}

/** The newest runs of one target in the window, newest first; one per snapshot (the one started last). */
async function readRuns(prisma: PrismaClient, hostId: number, target: string, since: Date, limit: number): Promise<MeasuredRun[]> {
  const stored = await prisma.$queryRaw<StoredRun[]>`
    SELECT DISTINCT ON (s."id") s."id"::text AS "snapshotId", s."collectedAt", r."startedAt", r."targetAddress", r."hops"
      FROM "TracerouteRun" r
      JOIN "Snapshot" s ON s."hostId" = r."hostId" AND s."seq" = r."seq"
     WHERE r."hostId" = ${hostId} AND r."target" = ${target} AND s."collectedAt" >= ${since}
     ORDER BY s."id" DESC, r."startedAt" DESC NULLS LAST, r."id" DESC
     LIMIT ${limit}`;
  return stored
    .map((run) => {
      const probesByHop = new Map(sortHops(run.hops).map((hop) => [hop.hop, hop.probes] as const));
      return {
        snapshotId: run.snapshotId,
        at: (run.startedAt ?? run.collectedAt).toISOString(),
        targetAddress: run.targetAddress,
        hops: [...probesByHop].map(([hop, probes]) => summarizeProbes(hop, probes)),
        probesByHop,
      };
    })
    .sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : 0));
}

function summarizeProbes(hop: number, probes: readonly TracerouteProbe[]): HopStats {
  const answered = probes.filter((probe) => probe.rttMs !== null);
  const rtts = answered.map((probe) => probe.rttMs as number).sort((a, b) => a - b);
  return {
    hop,
    minMs: rtts[0] ?? null,
    medianMs: median(rtts),
    maxMs: rtts.at(-1) ?? null,
    loss: probes.length === 0 ? null : (probes.length - rtts.length) / probes.length,
    sent: probes.length,
    received: rtts.length,
    lastMs: answered.at(-1)?.rttMs ?? null,
    annotations: distinct(probes.map((probe) => probe.annotation)),
    addresses: distinct(probes.map((probe) => probe.address)),
    names: distinct(probes.map((probe) => probe.name)),
  };
}

/** mtr's table over the whole window: Loss%, Last, Avg, Best, Worst, StDev per hop, from every probe. */
function summarizeHops(runs: readonly MeasuredRun[]): HopSummary[] {
  const newest = runs.at(-1);
  const hopNumbers = [...new Set(runs.flatMap((run) => [...run.probesByHop.keys()]))].sort((a, b) => a - b);
  return hopNumbers.map((hopNumber) => {
    const probes = runs.flatMap((run) => run.probesByHop.get(hopNumber) ?? []);
    const rtts = probes.map((probe) => probe.rttMs).filter((rtt) => rtt !== null);
    const newestFirst = [...probes].reverse();
    const mean = rtts.length === 0 ? null : sum(rtts) / rtts.length;
    return {
      hop: hopNumber,
      addresses: distinct(newestFirst.map((probe) => probe.address)),
      names: distinct(newestFirst.map((probe) => probe.name)),
      sent: probes.length,
      lossPercent: probes.length === 0 ? null : ((probes.length - rtts.length) / probes.length) * 100,
      lastMs: newest?.hops.find((hop) => hop.hop === hopNumber)?.lastMs ?? null,
      avgMs: mean,
      bestMs: rtts.length === 0 ? null : Math.min(...rtts),
      worstMs: rtts.length === 0 ? null : Math.max(...rtts),
      stdevMs: mean === null ? null : Math.sqrt(sum(rtts.map((rtt) => (rtt - mean) ** 2)) / rtts.length),
      annotations: distinct(probes.map((probe) => probe.annotation)),
    };
  });
}

async function listLatencyJumps(prisma: PrismaClient, hostId: number, target: string, since: Date): Promise<LatencyJumpMark[]> {
  const alerts = await prisma.alert.findMany({
    where: { hostId, kind: 'traceroute.latency_jump', lastSeenAt: { gte: since } },
    orderBy: { id: 'asc' },
    take: 200,
    select: { id: true, firstSeenAt: true, lastSeenAt: true, state: true, message: true, subject: true, snapshotId: true },
  });
  const forTarget = alerts.filter((alert) => subjectTarget(alert.subject).toLowerCase() === target.toLowerCase());
  // Marked where the data is: at the collection time of the snapshot that raised (or last repeated) it.
  const snapshotIds = forTarget.map((alert) => alert.snapshotId).filter((id) => id !== null);
  const collected = new Map(
    (await prisma.snapshot.findMany({ where: { id: { in: snapshotIds } }, select: { id: true, collectedAt: true } })).map(
      (row) => [row.id, row.collectedAt] as const,
    ),
  );
  return forTarget.map((alert) => {
    const hop = (alert.subject as Record<string, unknown>).hop;
    return {
      alertId: alert.id,
      at: (collected.get(alert.snapshotId ?? -1n) ?? alert.lastSeenAt).toISOString(),
      firstSeenAt: alert.firstSeenAt.toISOString(),
      hop: typeof hop === 'number' ? hop : null,
      state: alert.state,
      message: alert.message,
    };
  });
}

async function listInventoryChanges(prisma: PrismaClient, hostId: number, since: Date): Promise<InventoryChangeMark[]> {
  // Raw SQL: an enum-array overlap filter does not pass through every driver adapter (PGlite's refuses it).
  const rows = await prisma.$queryRaw<{ id: bigint; collectedAt: Date; changedSections: string[]; diffSummary: unknown }[]>`
    SELECT "id", "collectedAt", "changedSections"::text[] AS "changedSections", "diffSummary"
    FROM "Snapshot"
    WHERE "hostId" = ${hostId} AND "collectedAt" >= ${since}
      AND "changedSections" && ARRAY['sockets', 'processes', 'interfaces']::"Section"[]
    ORDER BY "collectedAt" DESC
    LIMIT ${MAX_INVENTORY_MARKS}`;
  return (
    rows
      .reverse()
      // A host's first snapshot "changes" every section; with nothing before it, it is no change.
      .filter((row) => row.diffSummary !== null)
      .map((row) => {
        const summary = row.diffSummary as DiffSummary;
        const sections = INVENTORY_SECTIONS.filter((section) => row.changedSections.includes(section));
        return {
          snapshotId: row.id.toString(),
          at: row.collectedAt.toISOString(),
          sections,
          summary: Object.fromEntries(sections.map((section) => [section, summary[section]])),
        };
      })
  );
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function distinct(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value) => value !== null))];
}

/** The traceroute target a latency alert's subject names ('' for none). */
function subjectTarget(subject: unknown): string {
  const target = (subject as { target?: unknown } | null)?.target;
  return typeof target === 'string' ? target : '';
}
