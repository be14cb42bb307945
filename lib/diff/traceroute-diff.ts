// Traceroutes: identity is the target. RTTs and start times differ on every run, so they are not
// changes here (latency belongs to the alert rules); the route itself is.
import type { TracerouteHop, TracerouteRun } from '@/lib/schemas/snapshot';
import { diffSection, type SectionRules } from '@/lib/diff/diff-section';
import type { ChangedTraceroute, SectionDiff, TracerouteChange } from '@/lib/diff/types';

const tracerouteRules: SectionRules<TracerouteRun, TracerouteChange> = {
  keyOf: (run) => run.target.toLowerCase(),
  fields: [
    { name: 'targetAddress', comparable: (run) => run.targetAddress },
    { name: 'hopCount', comparable: (run) => run.hops.length },
    { name: 'path', isEqual: (before, after) => isSamePath(listRespondersPerHop(before), listRespondersPerHop(after)) },
    { name: 'annotations', comparable: listAnnotations },
  ],
};

export function diffTraceroutes(
  before: readonly TracerouteRun[] | undefined,
  after: readonly TracerouteRun[] | undefined,
): SectionDiff<TracerouteRun, ChangedTraceroute> {
  return diffSection(before, after, tracerouteRules);
}

/** Per hop (in hop order), the sorted distinct addresses that answered; load balancers answer with several. */
function listRespondersPerHop(run: TracerouteRun): string[][] {
  return sortHops(run.hops).map((hop) => {
    const addresses = hop.probes.map((probe) => probe.address).filter((address) => address !== null);
    return [...new Set(addresses)].sort();
  });
}

export function sortHops(hops: readonly TracerouteHop[]): TracerouteHop[] {
  return [...hops].sort((a, b) => a.hop - b.hop);
}

/** A hop with no answer (`* * *`) is no evidence of another route, so it matches any hop. */
function isSamePath(before: string[][], after: string[][]): boolean {
  if (before.length !== after.length) return false;
  return before.every((responders, index) => {
    const other = after[index] ?? [];
    if (responders.length === 0 || other.length === 0) return true;
    return responders.length === other.length && responders.every((address, i) => address === other[i]);
  });
}

function listAnnotations(run: TracerouteRun): string {
  const annotations = run.hops.flatMap((hop) => hop.probes.map((probe) => probe.annotation)).filter((a) => a !== null);
  return JSON.stringify([...new Set(annotations)].sort());
}
