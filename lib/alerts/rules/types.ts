// Alert candidates: what the rules propose; the store decides whether one opens or updates an alert.
import type { ProgramContext } from '@/lib/alerts/rules/programs';
import type { SnapshotDiff, SnapshotSections } from '@/lib/diff/types';

export type AlertKind =
  | 'listener.opened'
  | 'listener.closed'
  | 'listener.widened'
  | 'listener.owner_changed'
  | 'interface.promiscuous_on'
  | 'interface.promiscuous_off'
  | 'process.new_binary'
  | 'process.deleted_executable'
  | 'traceroute.unreachable'
  | 'traceroute.latency_jump'
  | 'package.installed'
  | 'package.removed'
  | 'package.changed'
  | 'host.silent';

/** OSSEC-style levels: 0 (noise) to 15 (act now). */
export const alertLevels = {
  'listener.opened': 10,
  'listener.closed': 5,
  'listener.widened': 10,
  'listener.owner_changed': 10,
  'interface.promiscuous_on': 12,
  'interface.promiscuous_off': 5,
  // 5 when hosts of its label run it, 7 when other hosts do, 9 when none does; 10 from a writable place (process-alerts.ts).
  'process.new_binary': 7,
  'process.deleted_executable': 12,
  'traceroute.unreachable': 8,
  'traceroute.latency_jump': 6,
  // OSPatrol's "Installed packages have changed" is level 10; a downgrade is raised to 12 (package-alerts.ts).
  'package.installed': 10,
  'package.removed': 10,
  'package.changed': 10,
  'host.silent': 9,
} as const satisfies Record<AlertKind, number>;

export interface AlertCandidate {
  kind: AlertKind;
  level: number;
  /** Names the thing (per host), so a repeat updates the one open alert instead of opening another. */
  dedupeKey: string;
  /** Plain text naming the host and the subject. */
  message: string;
  subject: Record<string, unknown>;
  /** The subject in a few words (`tcp 0.0.0.0:8080`, `eth0`, a command): how a summary of many lists it. */
  label: string;
}

/** An expected listener for one host, every host with a label, or (both null) the whole fleet; null fields match anything. */
export interface ExpectedListener {
  hostName: string | null;
  label: string | null;
  proto: string | null;
  port: number;
  localAddress: string | null;
  process: string | null;
}

/** Packages expected on one host, every host with a label, or (both null) the whole fleet: by name glob. */
export interface ExpectedPackage {
  hostName: string | null;
  label: string | null;
  pattern: string;
}

/** Interfaces whose name matches the glob are promiscuous by design (bridges, container veths). */
export interface PromiscuousRule {
  pattern: string;
  expected: true;
}

export interface AlertRuleInput {
  hostName: string;
  hostLabels: readonly string[];
  diff: SnapshotDiff;
  /** null on a host's first snapshot. */
  previous: SnapshotSections | null;
  current: SnapshotSections;
  expectedListeners: readonly ExpectedListener[];
  promiscuousRules: readonly PromiscuousRule[];
  /** What is known of the host's programs (at ingest); without it, the previous snapshot's processes are the known ones. */
  programs?: ProgramContext;
  /** Packages whose installation or change raises no alert (their removal still does). */
  expectedPackages?: readonly ExpectedPackage[];
}

export function createCandidate(kind: AlertKind, dedupeKey: string, message: string, subject: Record<string, unknown>, label: string): AlertCandidate {
  return { kind, level: alertLevels[kind], dedupeKey, message, subject, label };
}
