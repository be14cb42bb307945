// Traceroute runs for tests: each hop a list of probes, a number for an RTT in ms, null for `*`,
// [rtt, '!H'] for an annotated answer. Hop N answers from 10.0.N.1 unless told otherwise.
import type { TracerouteRun } from '@/lib/schemas/snapshot';

export type ProbeSpec = number | null | [number | null, string];

export function tracerouteRun(
  target: string,
  hops: ProbeSpec[][],
  options: { targetAddress?: string; addressOf?: (hop: number) => string } = {},
): TracerouteRun {
  const addressOf = options.addressOf ?? ((hop: number) => `10.0.${hop}.1`);
  return {
    target,
    targetAddress: options.targetAddress ?? '192.0.2.80',
    hops: hops.map((probes, index) => ({
      hop: index + 1,
      probes: probes.map((probe) => {
        const [rttMs, annotation] = Array.isArray(probe) ? probe : [probe, null];
        return { address: rttMs === null && annotation === null ? null : addressOf(index + 1), name: null, rttMs, annotation };
      }),
    })),
  };
}

/** `count` ISO times one interval apart, the last one `endsAgoMs` before now. */
export function spacedTimes(count: number, intervalMs: number, endsAgoMs = 0): string[] {
  const end = Date.now() - endsAgoMs;
  return Array.from({ length: count }, (_, index) => new Date(end - (count - 1 - index) * intervalMs).toISOString());
}
