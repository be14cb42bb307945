// Baselines: listeners an analyst declared expected, so they raise no listener alert.
import type { SocketRow } from '@/lib/schemas/snapshot';
import { normalizeAddress } from '@/lib/diff/addresses';
import type { Baseline } from '@/lib/alerts/types';

export interface HostIdentity {
  hostName: string;
  hostLabels: readonly string[];
}

export function isBaselinedListener(socket: SocketRow, host: HostIdentity, baselines: readonly Baseline[]): boolean {
  return baselines.some((baseline) => matchesBaseline(baseline, socket, host));
}

/** An unknown owner (netstat without -p) never matches a baseline that names a process: fail loud. */
export function matchesBaseline(baseline: Baseline, socket: SocketRow, host: HostIdentity): boolean {
  if (baseline.port !== socket.localPort) return false;
  if (baseline.hostName !== null && baseline.hostName !== host.hostName) return false;
  if (baseline.label !== null && !host.hostLabels.includes(baseline.label)) return false;
  if (baseline.proto !== null && baseline.proto !== socket.proto) return false;
  if (baseline.process !== null && baseline.process !== socket.process) return false;
  if (baseline.localAddress === null) return true;
  return normalizeAddress(baseline.localAddress) === normalizeAddress(socket.localAddress);
}
