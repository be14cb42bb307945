// What the rules know of a host's programs (lib/ingest/known-programs.ts finds it at ingest): a
// program is its executable's path and SHA-256 — a `sshd` run from /tmp/.x/ is not /usr/sbin/sshd —
// or, when the collector cannot see the executable, its command name.
import type { ProcessRow } from '@/lib/schemas/snapshot';

export interface ProgramKey {
  program: string;
  sha256: string;
}

export const programKeyOf = (row: ProcessRow): ProgramKey => ({ program: row.exe ?? `[${row.command}]`, sha256: row.exeSha256 ?? '' });
export const programId = (key: ProgramKey) => `${key.program}\u0000${key.sha256}`;

/** A program the host had not run before, and where else it runs. */
export interface NewProgram {
  /** Other hosts sharing a label with this one that run it, of how many such hosts. */
  labelHosts: number;
  labelHostCount: number;
  /** Other hosts that run it, of how many hosts. */
  fleetHosts: number;
  fleetHostCount: number;
}

export interface ProgramContext {
  /** The host is still learning its normal programs (SOCKSCOPE_LEARNING_HOURS after its first snapshot). */
  isLearning: boolean;
  /** The host's first process list: its inventory. */
  isFirstLook: boolean;
  /** The programs of this snapshot's new processes that the host never ran before, by programId (null: where else it runs is not known). */
  newPrograms: ReadonlyMap<string, NewProgram | null>;
  /** Processes owning a listening socket now. */
  listeningPids: ReadonlySet<number>;
}

// Where anyone can write: a program run from here is never an ordinary one, learnt or not.
const WRITABLE_PLACES = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/user/', '/home/', '/root/', '/var/run/user/'];

export function isInWritablePlace(program: string): boolean {
  return WRITABLE_PLACES.some((place) => program.startsWith(place));
}
