// Interfaces: identity is the name; flags and addresses are sets (tools print them in any order).
// Error and drop counters are left out: they move on every snapshot and would drown real changes.
import type { InterfaceRow } from '@/lib/schemas/snapshot';
import { diffSection, type SectionRules } from '@/lib/diff/diff-section';
import { namespaceOf } from '@/lib/diff/socket-diff';
import { describeContainer } from '@/lib/schemas/container-name';
import type { ChangedInterface, InterfaceChange, SectionDiff } from '@/lib/diff/types';

const interfaceRules: SectionRules<InterfaceRow, InterfaceChange> = {
  // eth0 in a container's network namespace is not the host's eth0.
  keyOf: (row) => `${namespaceOf(row)}${row.name}`,
  fields: [
    { name: 'flags', comparable: (row) => toSortedSet(row.flags.map((flag) => flag.toUpperCase())) },
    { name: 'promiscuous', comparable: (row) => row.promiscuous },
    { name: 'mtu', comparable: (row) => row.mtu },
    { name: 'mac', comparable: (row) => row.mac?.toLowerCase() ?? null },
    { name: 'addresses', comparable: (row) => toSortedSet(row.addresses.map((address) => address.toLowerCase())) },
  ],
};

export interface PromiscuousTransitions {
  on: string[];
  off: string[];
}

export function diffInterfaces(
  before: readonly InterfaceRow[] | undefined,
  after: readonly InterfaceRow[] | undefined,
): SectionDiff<InterfaceRow, ChangedInterface> {
  return diffSection(before, after, interfaceRules);
}

/**
 * How an interface is named to a person: its name, and where it is when that is not the host's own
 * network namespace (eth0 in a container is still a sniffer, and not the host's eth0).
 */
export function interfaceLabel(row: InterfaceRow): string {
  const container = describeContainer(row.container);
  if (container) return `${row.name} (container ${container})`;
  return row.netns === undefined || row.netns === null ? row.name : `${row.name} (netns ${row.netns})`;
}

/** An interface that appears promiscuous entered the mode; one that disappears promiscuous left it. By interfaceLabel. */
export function listPromiscuousTransitions(diff: SectionDiff<InterfaceRow, ChangedInterface>): PromiscuousTransitions {
  const on = new Set<string>();
  const off = new Set<string>();
  for (const row of diff.added) if (row.promiscuous) on.add(interfaceLabel(row));
  for (const row of diff.removed) if (row.promiscuous) off.add(interfaceLabel(row));
  for (const { before, after } of diff.changed) {
    if (!before.promiscuous && after.promiscuous) on.add(interfaceLabel(after));
    if (before.promiscuous && !after.promiscuous) off.add(interfaceLabel(after));
  }
  return { on: [...on].sort(), off: [...off].sort() };
}

function toSortedSet(values: readonly string[]): string {
  return JSON.stringify([...new Set(values)].sort());
}
