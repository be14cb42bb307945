// Traceroute alerts: a router saying "unreachable", and a hop whose latency jumped.
import type { TracerouteHop, TracerouteRun } from '@/lib/schemas/snapshot';
import { canonicalJson } from '@/lib/diff/canonical-json';
import { sortHops } from '@/lib/diff/traceroute-diff';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/rules/types';

/** Host, network, protocol unreachable, source route failed, fragmentation needed, prohibited. */
const UNREACHABLE_ANNOTATIONS = ['!H', '!N', '!P', '!S', '!F', '!X'] as const;
/** A jump must beat both: +50 ms hides jitter on fast links, 3× hides noise on slow ones. */
const LATENCY_JUMP_MIN_INCREASE_MS = 50;
const LATENCY_JUMP_MIN_FACTOR = 3;

interface UnreachableProbe {
  hop: number;
  address: string | null;
  annotation: string;
}

interface LatencyJump {
  hop: number;
  address: string | null;
  medianMs: number;
  referenceMs: number;
  /** What the hop is compared with: the hop before it in this run, or itself in the previous run. */
  reference: 'previous-hop' | 'previous-run';
}

export function evaluateTracerouteAlerts(input: AlertRuleInput): AlertCandidate[] {
  const currentRuns = input.current.traceroutes;
  if (currentRuns === undefined) return [];
  const previousRuns = indexLatestRunByTarget(input.previous?.traceroutes ?? []);
  const candidates: AlertCandidate[] = [];
  for (const run of toCanonicalOrder(currentRuns)) {
    const unreachable = createUnreachableAlert(input.hostName, run);
    if (unreachable) candidates.push(unreachable);
    const latencyJump = createLatencyJumpAlert(input.hostName, run, previousRuns.get(targetKey(run)));
    if (latencyJump) candidates.push(latencyJump);
  }
  return candidates;
}

/** `!F-1500` (fragmentation needed, with the next-hop MTU) counts as `!F`. */
function isUnreachableAnnotation(annotation: string | null): annotation is string {
  if (annotation === null) return false;
  return UNREACHABLE_ANNOTATIONS.some((code) => annotation === code || annotation.startsWith(`${code}-`));
}

function isLatencyJump(medianMs: number, referenceMs: number): boolean {
  const threshold = Math.max(referenceMs + LATENCY_JUMP_MIN_INCREASE_MS, referenceMs * LATENCY_JUMP_MIN_FACTOR);
  return medianMs > threshold;
}

/** Median of the probes that answered; null for a hop of `* * *`. */
function medianRtt(hop: TracerouteHop): number | null {
  const rtts = hop.probes
    .map((probe) => probe.rttMs)
    .filter((rtt) => rtt !== null)
    .sort((a, b) => a - b);
  if (rtts.length === 0) return null;
  const middle = Math.floor(rtts.length / 2);
  const upper = rtts[middle] ?? 0;
  if (rtts.length % 2 === 1) return upper;
  return ((rtts[middle - 1] ?? upper) + upper) / 2;
}

function findLatencyJumps(run: TracerouteRun, previousRun: TracerouteRun | undefined): LatencyJump[] {
  const previousMedians = new Map((previousRun?.hops ?? []).map((hop) => [hop.hop, medianRtt(hop)] as const));
  const jumps: LatencyJump[] = [];
  let previousHopMedian: number | null = null;
  for (const hop of sortHops(run.hops)) {
    const median = medianRtt(hop);
    if (median === null) continue; // A silent hop is skipped: compare with the last hop that answered.
    const address = firstAddress(hop);
    const sameHopBefore = previousMedians.get(hop.hop) ?? null;
    if (previousHopMedian !== null && isLatencyJump(median, previousHopMedian)) {
      jumps.push({ hop: hop.hop, address, medianMs: median, referenceMs: previousHopMedian, reference: 'previous-hop' });
    } else if (sameHopBefore !== null && isLatencyJump(median, sameHopBefore)) {
      jumps.push({ hop: hop.hop, address, medianMs: median, referenceMs: sameHopBefore, reference: 'previous-run' });
    }
    previousHopMedian = median;
  }
  return jumps;
}

function createUnreachableAlert(hostName: string, run: TracerouteRun): AlertCandidate | null {
  const probes = listUnreachableProbes(run);
  const first = probes[0];
  if (first === undefined) return null;
  const where = first.address === null ? `hop ${first.hop}` : `hop ${first.hop} (${first.address})`;
  const message = `${hostName}: traceroute to ${run.target}: ${where} answered ${first.annotation} (unreachable)`;
  const subject = { target: run.target, targetAddress: run.targetAddress, ...first, probes };
  return createCandidate('traceroute.unreachable', `traceroute.unreachable:${run.target}`, message, subject, run.target);
}

function createLatencyJumpAlert(hostName: string, run: TracerouteRun, previousRun: TracerouteRun | undefined): AlertCandidate | null {
  const jumps = findLatencyJumps(run, previousRun);
  const first = jumps[0];
  if (first === undefined) return null;
  const where = first.address === null ? `hop ${first.hop}` : `hop ${first.hop} (${first.address})`;
  const against = first.reference === 'previous-hop' ? 'at the hop before' : 'in the previous run';
  const message =
    `${hostName}: traceroute to ${run.target}: ${where} median RTT ${formatMs(first.medianMs)}, ` + `up from ${formatMs(first.referenceMs)} ${against}`;
  const subject = { target: run.target, targetAddress: run.targetAddress, ...first, jumps };
  return createCandidate('traceroute.latency_jump', `traceroute.latency_jump:${run.target}`, message, subject, run.target);
}

function listUnreachableProbes(run: TracerouteRun): UnreachableProbe[] {
  return sortHops(run.hops).flatMap((hop) =>
    hop.probes.flatMap((probe) => (isUnreachableAnnotation(probe.annotation) ? [{ hop: hop.hop, address: probe.address, annotation: probe.annotation }] : [])),
  );
}

/** Several runs for one target: the latest one (by start time, then content) is the reference. */
function indexLatestRunByTarget(runs: readonly TracerouteRun[]): Map<string, TracerouteRun> {
  const latest = new Map<string, TracerouteRun>();
  for (const run of toCanonicalOrder(runs)) {
    const known = latest.get(targetKey(run));
    if (known === undefined || (run.startedAt ?? '') > (known.startedAt ?? '')) latest.set(targetKey(run), run);
  }
  return latest;
}

function toCanonicalOrder(runs: readonly TracerouteRun[]): TracerouteRun[] {
  return runs
    .map((run) => ({ run, canonical: canonicalJson(run) }))
    .sort((a, b) => (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0))
    .map((entry) => entry.run);
}

function targetKey(run: TracerouteRun): string {
  return run.target.toLowerCase();
}

function firstAddress(hop: TracerouteHop): string | null {
  return hop.probes.find((probe) => probe.address !== null)?.address ?? null;
}

function formatMs(milliseconds: number): string {
  return `${milliseconds.toFixed(1)} ms`;
}
