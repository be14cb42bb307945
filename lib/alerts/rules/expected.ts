// What analysts declared expected (lib/expectations/), matched against a snapshot's rows: expected
// listeners, interfaces promiscuous by design, expected packages. A match raises no alert; the
// diff still shows the change.
import { normalizeAddress } from '@/lib/diff/addresses';
import type { ExpectedListener, ExpectedPackage, PromiscuousRule } from '@/lib/alerts/rules/types';
import type { PackageRow, SocketRow } from '@/lib/schemas/snapshot';

export interface HostIdentity {
  hostName: string;
  hostLabels: readonly string[];
}

export function isExpectedListener(socket: SocketRow, host: HostIdentity, expectedListeners: readonly ExpectedListener[]): boolean {
  return expectedListeners.some((expected) => matchesExpectedListener(expected, socket, host));
}

/** An unknown owner (netstat without -p) never matches an expectation that names a process: fail loud. */
function matchesExpectedListener(expected: ExpectedListener, socket: SocketRow, host: HostIdentity): boolean {
  if (expected.port !== socket.localPort) return false;
  if (!appliesToHost(expected, host)) return false;
  if (expected.proto !== null && expected.proto !== socket.proto) return false;
  if (expected.process !== null && expected.process !== socket.process) return false;
  if (expected.localAddress === null) return true;
  return normalizeAddress(expected.localAddress) === normalizeAddress(socket.localAddress);
}

export function isExpectedPackage(row: PackageRow, host: HostIdentity, expectedPackages: readonly ExpectedPackage[]): boolean {
  return expectedPackages.some((expected) => appliesToHost(expected, host) && matchesGlob(expected.pattern, row.name));
}

/** Bridges and container plumbing put their ports into promiscuous mode; alerting on them would train analysts to ignore the real sniffer alert. */
export const defaultPromiscuousRules: readonly PromiscuousRule[] = [
  { pattern: 'veth*', expected: true },
  { pattern: 'docker*', expected: true },
  { pattern: 'br-*', expected: true },
  { pattern: 'virbr*', expected: true },
  { pattern: 'cni*', expected: true },
  { pattern: 'flannel*', expected: true },
];

export function isExpectedPromiscuous(interfaceName: string, rules: readonly PromiscuousRule[]): boolean {
  return rules.some((rule) => rule.expected && matchesGlob(rule.pattern, interfaceName));
}

/** Shell-style: `*` any run of characters, `?` one character, everything else literal. */
export function matchesGlob(pattern: string, name: string): boolean {
  const source = [...pattern].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'u').test(name);
}

/** One host (by name), every host with a label, or (both null) the whole fleet. */
function appliesToHost(expected: { hostName: string | null; label: string | null }, host: HostIdentity): boolean {
  if (expected.hostName !== null && expected.hostName !== host.hostName) return false;
  return expected.label === null || host.hostLabels.includes(expected.label);
}
