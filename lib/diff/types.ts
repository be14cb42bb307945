// Shapes of a snapshot diff: the `GET /api/v1/hosts/:name/diff` contract (docs/api.md).
import type { InterfaceRow, PackageRow, ProcessRow, SocketRow, TracerouteRun } from '@/lib/schemas/snapshot';

/** The sections of one snapshot; an absent section was not collected (never "empty"). */
export interface SnapshotSections {
  sockets?: readonly SocketRow[];
  processes?: readonly ProcessRow[];
  interfaces?: readonly InterfaceRow[];
  traceroutes?: readonly TracerouteRun[];
  packages?: readonly PackageRow[];
}

/** One row present in both snapshots whose compared fields differ; `changes` names those fields. */
export interface ChangedRow<Row, Change extends string = string> {
  before: Row;
  after: Row;
  changes: Change[];
}

export interface SectionDiff<Row, Changed> {
  /** false when either snapshot lacks the section: nothing can be said, so every list is empty. */
  collected: boolean;
  added: Row[];
  removed: Row[];
  changed: Changed[];
}

export type SocketChange = 'localAddress' | 'state' | 'pid' | 'process' | 'user' | 'uid';
export type ProcessChange = 'ppid' | 'user' | 'uid' | 'args' | 'startedAt';
export type InterfaceChange = 'flags' | 'promiscuous' | 'mtu' | 'mac' | 'addresses';
export type TracerouteChange = 'targetAddress' | 'hopCount' | 'path' | 'annotations';
export type PackageChange = 'version';

export interface ChangedSocket extends ChangedRow<SocketRow, SocketChange> {
  /** true when the listener now binds a wider scope (loopback → address → any), i.e. more exposed. */
  widened: boolean;
}
export type ChangedProcess = ChangedRow<ProcessRow, ProcessChange>;
export type ChangedInterface = ChangedRow<InterfaceRow, InterfaceChange>;
export type ChangedTraceroute = ChangedRow<TracerouteRun, TracerouteChange>;

export interface ChangedPackage extends ChangedRow<PackageRow, PackageChange> {
  /** By the package manager's own version order; `reinstalled` when the versions sort equal. */
  direction: 'upgraded' | 'downgraded' | 'reinstalled';
}

export interface SnapshotDiff {
  sockets: SectionDiff<SocketRow, ChangedSocket>;
  processes: SectionDiff<ProcessRow, ChangedProcess>;
  interfaces: SectionDiff<InterfaceRow, ChangedInterface>;
  traceroutes: SectionDiff<TracerouteRun, ChangedTraceroute>;
  packages: SectionDiff<PackageRow, ChangedPackage>;
}

export interface SectionCounts {
  added: number;
  removed: number;
  changed: number;
}

export interface DiffSummary {
  sockets: SectionCounts;
  processes: SectionCounts;
  interfaces: SectionCounts;
  traceroutes: SectionCounts;
  packages: SectionCounts;
  /** Changed sockets whose bind address widened. */
  widened: number;
  /** Interface names (sorted) that entered promiscuous mode, including ones that appeared promiscuous. */
  promiscuousOn: string[];
  /** Interface names (sorted) that left promiscuous mode, including promiscuous ones that disappeared. */
  promiscuousOff: string[];
}
