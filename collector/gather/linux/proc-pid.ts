// Parsers for the per-process files under /proc/PID: stat, status and cmdline.

export interface ProcessStat {
  pid: number;
  /** The kernel's 15-byte process name (`comm`), which may itself contain spaces and parentheses. */
  command: string;
  state: string;
  ppid: number;
  /** Kernel threads (PF_KTHREAD) have no command line and no file descriptors. */
  isKernelThread: boolean;
  /** Clock ticks after boot at which the process started. */
  startTicks: number;
}

/** Fields counted after the closing parenthesis of comm: state is field 3, ppid 4, starttime 22 (proc(5)). */
const STATE_FIELD = 3;
const PPID_FIELD = 4;
const FLAGS_FIELD = 9;
const START_TIME_FIELD = 22;
const fieldAfterCommand = (field: number) => field - STATE_FIELD;
/** include/linux/sched.h */
const PF_KTHREAD = 0x00200000;

/** `/proc/PID/stat`; null when the text is not a stat line (a vanished or foreign file). */
export function parseProcessStat(text: string): ProcessStat | null {
  const open = text.indexOf('(');
  // comm may contain ')' itself, so its end is the last one on the line.
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pidText = text.slice(0, open).trim();
  if (!/^\d+$/.test(pidText)) return null;

  const rest = text
    .slice(close + 1)
    .trim()
    .split(' ');
  const state = rest[fieldAfterCommand(STATE_FIELD)];
  const ppidText = rest[fieldAfterCommand(PPID_FIELD)];
  const flagsText = rest[fieldAfterCommand(FLAGS_FIELD)];
  const startText = rest[fieldAfterCommand(START_TIME_FIELD)];
  if (state === undefined || ppidText === undefined || flagsText === undefined || startText === undefined) return null;
  if (!/^\d+$/.test(ppidText) || !/^\d+$/.test(flagsText) || !/^\d+$/.test(startText)) return null;

  return {
    pid: Number(pidText),
    command: text.slice(open + 1, close),
    state,
    ppid: Number(ppidText),
    isKernelThread: (Number(flagsText) & PF_KTHREAD) !== 0,
    startTicks: Number(startText),
  };
}

/**
 * Effective uid from the `Uid:` line of `/proc/PID/status` (real, effective, saved, fs) — the one ps
 * shows. The gatherer takes the same number from the owner of /proc/PID, which the kernel keeps
 * equal to it (task_dump_owner) and which costs a stat instead of rendering the whole status file.
 */
export function parseStatusEffectiveUid(text: string): number | null {
  const match = /^Uid:\s+\d+\s+(\d+)/m.exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Longest args string the snapshot schema accepts. */
export const MAX_ARGS_LENGTH = 65_536;

/**
 * `/proc/PID/cmdline`: NUL-separated arguments → one string joined by spaces, as ps prints them.
 * Empty (kernel threads, zombies) → null, because such a process has no command line at all.
 */
export function parseCmdline(raw: string): string | null {
  const args = raw.split('\u0000');
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  if (args.length === 0) return null;
  // Processes that rewrite their title may leave NULs in the middle; the schema forbids NUL bytes.
  const joined = args.join(' ');
  return joined.length > MAX_ARGS_LENGTH ? joined.slice(0, MAX_ARGS_LENGTH) : joined;
}

/** `btime` of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(procStatText: string): number | null {
  const match = /^btime\s+(\d+)\s*$/m.exec(procStatText);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Start time as an ISO timestamp: boot time plus ticks over the clock tick rate; null when unknown. */
export function startTimeIso(bootTimeSeconds: number | null, startTicks: number, clockTicksPerSecond: number): string | null {
  if (bootTimeSeconds === null || clockTicksPerSecond <= 0) return null;
  const milliseconds = bootTimeSeconds * 1000 + Math.round((startTicks * 1000) / clockTicksPerSecond);
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
