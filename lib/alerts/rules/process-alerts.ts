// Process alerts. `process.new_binary`: a program (executable and hash, lib/alerts/rules/programs.ts) this
// host never ran before. A new host first learns its normal programs for a while and raises only
// what must never wait: a program from a place anyone can write (/tmp, /dev/shm, a home), and — once
// past its first look — a new program that listens. Its level says how unusual it is: run by hosts
// of the same label (5), by other hosts (7), by none (9), from a writable place (10); 7 when where
// else it runs is not known.
// `process.deleted_executable`: a process whose executable was deleted from disk while it runs, the
// classic sign of an implant cleaning up after itself (12), learnt or not.
import { isInWritablePlace, programId, programKeyOf, type NewProgram, type ProgramContext } from '@/lib/alerts/rules/programs';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/rules/types';
import { describeContainer } from '@/lib/schemas/container-name';
import type { ProcessRow } from '@/lib/schemas/snapshot';

export const NEW_BINARY_LEVELS = { sameLabel: 5, elsewhere: 7, nowhere: 9, writablePlace: 10 } as const;

export function evaluateNewBinaryAlerts(input: AlertRuleInput): AlertCandidate[] {
  const opened = openedProcesses(input);
  if (opened.length === 0) return [];
  return [...evaluateDeletedExecutables(input.hostName, opened), ...evaluateNewPrograms(input, opened)];
}

/** The process rows this snapshot opened (at ingest, `current.processes` holds just those), changed ones included. */
function openedProcesses(input: AlertRuleInput): ProcessRow[] {
  const rows = input.programs ? (input.current.processes ?? []) : [...input.diff.processes.added, ...input.diff.processes.changed.map((row) => row.after)];
  return rows.filter((row) => !isKernelThread(row));
}

function evaluateNewPrograms(input: AlertRuleInput, opened: readonly ProcessRow[]): AlertCandidate[] {
  const context = input.programs ?? programsFromPreviousSnapshot(input);
  if (!context) return [];
  const byProgram = new Map<string, ProcessRow[]>();
  for (const row of opened) {
    const id = programId(programKeyOf(row));
    if (!context.newPrograms.has(id)) continue;
    const group = byProgram.get(id);
    if (group) group.push(row);
    else byProgram.set(id, [row]);
  }
  const candidates: AlertCandidate[] = [];
  for (const [id, rows] of [...byProgram.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { program } = programKeyOf(rows[0] as ProcessRow);
    const isWritable = isInWritablePlace(program);
    const isListening = !context.isFirstLook && rows.some((row) => context.listeningPids.has(row.pid));
    if (context.isLearning && !isWritable && !isListening) continue;
    candidates.push(createNewBinaryAlert(input, rows, context.newPrograms.get(id) ?? null, { isWritable, isListening }));
  }
  return candidates;
}

/**
 * Without what ingest knows (a pure diff of two snapshots): the programs the previous snapshot ran
 * are the known ones; with no previous process list, every program would be "new" — a flood, not news.
 */
function programsFromPreviousSnapshot(input: AlertRuleInput): ProgramContext | null {
  const previous = input.previous?.processes;
  if (previous === undefined) return null;
  const known = new Set(previous.map((row) => programId(programKeyOf(row))));
  const newPrograms = new Map(
    input.diff.processes.added
      .map((row) => programId(programKeyOf(row)))
      .filter((id) => !known.has(id))
      .map((id) => [id, null] as const),
  );
  const listeningPids = new Set((input.current.sockets ?? []).flatMap((socket) => (socket.pid === null ? [] : [socket.pid])));
  return { isLearning: false, isFirstLook: false, newPrograms, listeningPids };
}

/** Kernel workers come and go and rename themselves (kworker/u4:2-events): not programs anyone started. */
function isKernelThread(row: ProcessRow): boolean {
  return row.args === null && row.exe == null && (row.pid === 2 || row.ppid === 2 || row.ppid === 0);
}

function describeOwners(rows: readonly ProcessRow[]): { pids: number[]; users: string[]; text: string } {
  const ordered = [...rows].sort((a, b) => a.pid - b.pid);
  const pids = ordered.map((row) => row.pid);
  const users = [...new Set(ordered.map((row) => row.user).filter((user) => user !== null))].sort();
  return { pids, users, text: `pid ${pids.join(', ')}${users.length > 0 ? `, user ${users.join(', ')}` : ''}` };
}

function createNewBinaryAlert(
  input: AlertRuleInput,
  rows: readonly ProcessRow[],
  seen: NewProgram | null,
  facts: { isWritable: boolean; isListening: boolean },
): AlertCandidate {
  const first = rows[0] as ProcessRow;
  const { program, sha256 } = programKeyOf(first);
  const owners = describeOwners(rows);
  const hash = sha256 ? ` sha256 ${sha256.slice(0, 12)}…,` : '';
  const labels = input.hostLabels.length > 0 ? ` labelled ${input.hostLabels.join(', ')}` : '';
  // "seen on 0 of 0 other hosts" says nothing: a fleet of one has no prevalence to report.
  const prevalence =
    seen === null
      ? ''
      : input.hostLabels.length > 0 && seen.labelHostCount > 0
        ? `; seen on ${seen.labelHosts} of ${seen.labelHostCount} other hosts${labels}`
        : seen.fleetHostCount > 0
          ? `; seen on ${seen.fleetHosts} of ${seen.fleetHostCount} other hosts`
          : '';
  const container = describeContainer(first.container);
  const notes = [
    container ? `in container ${container}` : null,
    facts.isWritable ? 'runs from a writable place' : null,
    facts.isListening ? 'listens' : null,
  ].filter((note) => note !== null);
  const name = first.exe ? program : first.command;
  const message = `${input.hostName}: new program ${name} (${hash ? `${hash.slice(1)} ` : ''}${owners.text})${notes.length > 0 ? `, ${notes.join(', ')}` : ''}${prevalence}`;
  const level = facts.isWritable
    ? NEW_BINARY_LEVELS.writablePlace
    : seen === null
      ? NEW_BINARY_LEVELS.elsewhere
      : seen.labelHosts > 0
        ? NEW_BINARY_LEVELS.sameLabel
        : seen.fleetHosts > 0
          ? NEW_BINARY_LEVELS.elsewhere
          : NEW_BINARY_LEVELS.nowhere;
  const subject = {
    command: first.command,
    exe: first.exe ?? null,
    sha256: first.exeSha256 ?? null,
    pids: owners.pids,
    users: owners.users,
    args: first.args,
    container: first.container ?? null,
    inWritablePlace: facts.isWritable,
    listens: facts.isListening,
    ...(seen ?? {}),
  };
  const candidate = createCandidate('process.new_binary', `process.new_binary:${program}${sha256 ? `:${sha256}` : ''}`, message, subject, name);
  return { ...candidate, level };
}

function evaluateDeletedExecutables(hostName: string, opened: readonly ProcessRow[]): AlertCandidate[] {
  const byExe = new Map<string, ProcessRow[]>();
  for (const row of opened) {
    if (row.exeDeleted !== true || !row.exe) continue;
    const group = byExe.get(row.exe);
    if (group) group.push(row);
    else byExe.set(row.exe, [row]);
  }
  return [...byExe.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([exe, rows]) => {
      const owners = describeOwners(rows);
      const first = rows[0] as ProcessRow;
      const container = describeContainer(first.container);
      // An executable that only ever lived in memory (memfd_create, then exec) is fileless
      // execution: how in-memory implants run, and also how some container runtimes guard their binary.
      const where = isMemoryOnly(exe)
        ? `runs from memory only (${exe.replace(/^\//, '')}), no file on disk`
        : `runs from ${exe}, deleted from disk while it runs`;
      const message = `${hostName}: ${first.command} ${where} (${owners.text}${container ? `, container ${container}` : ''})`;
      const subject = {
        command: first.command,
        exe,
        sha256: first.exeSha256 ?? null,
        pids: owners.pids,
        users: owners.users,
        args: first.args,
        container: first.container ?? null,
      };
      return createCandidate('process.deleted_executable', `process.deleted_executable:${exe}`, message, subject, exe);
    });
}

const isMemoryOnly = (exe: string) => exe.startsWith('/memfd:');
