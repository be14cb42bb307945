// ps output with a header naming its columns: `ps aux`, `ps -ef`, `ps -eo pid,ppid,user,uid,lstart,args`
// (procps and BSD). The last column (COMMAND, CMD, ARGS) runs to the end of the line, spaces and all.
import { MAX_PROCESSES, type ProcessRow, processSchema } from '../../lib/schemas/snapshot';
import { checkCount, checkRow } from './check-rows';
import { foreignTableError, requireRows } from './empty-result';
import { isDecimal, parsePid, parseUid } from './numbers';
import { ParseError, quote } from './parse-error';
import { startTimeFromLstart } from './ps-start-time';
import { isBlank, restOfLine, splitLines, splitWordsWithOffsets, type Word } from './text-lines';

type ColumnRole = 'pid' | 'ppid' | 'user' | 'uid' | 'start' | 'command' | 'comm' | 'other';

const COLUMN_ROLES = new Map<string, ColumnRole>([
  ['PID', 'pid'],
  ['PPID', 'ppid'],
  ['USER', 'user'],
  ['RUSER', 'user'],
  ['EUSER', 'user'],
  ['UNAME', 'user'],
  // `ps -ef` heads the user's name "UID" too; the value, not the header, says which it is.
  ['UID', 'uid'],
  ['RUID', 'uid'],
  ['EUID', 'uid'],
  ['START', 'start'],
  ['STARTED', 'start'],
  ['STIME', 'start'],
  ['COMMAND', 'command'],
  ['CMD', 'command'],
  ['ARGS', 'command'],
  ['COMM', 'comm'],
  ['UCOMM', 'comm'],
]);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART_WORDS = 5;

export function parsePs(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  let columns: ColumnRole[] | null = null;
  splitLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line)) return;
    const words = splitWordsWithOffsets(line);
    if (isHeader(words)) {
      columns = readHeader(words, lineNumber);
      return;
    }
    if (columns === null) {
      throw foreignTableError(line, lineNumber, 'ps') ?? new ParseError(lineNumber, `expected a ps header such as "USER PID ... COMMAND", got ${quote(line)}`);
    }
    rows.push(checkRow(processSchema, parseProcessLine(line, words, columns, lineNumber), lineNumber));
    checkCount(rows.length, MAX_PROCESSES, 'processes', lineNumber);
  });
  return requireRows(rows, text, 'ps', 'no process in this ps output (a header only)');
}

function isHeader(words: Word[]): boolean {
  return words.some((word) => word.text === 'PID') && words.every((word) => /^[A-Z%][A-Z0-9%_:-]*$/.test(word.text));
}

function readHeader(words: Word[], lineNumber: number): ColumnRole[] {
  const roles = words.map((word) => COLUMN_ROLES.get(word.text) ?? 'other');
  if (!roles.includes('command') && !roles.includes('comm')) throw new ParseError(lineNumber, 'ps header has no COMMAND column');
  return roles;
}

function parseProcessLine(line: string, words: Word[], columns: ColumnRole[], lineNumber: number): ProcessRow {
  const row: ProcessRow = { pid: -1, ppid: null, user: null, uid: null, command: '', args: null, startedAt: null };
  let next = 0;
  columns.forEach((role, columnIndex) => {
    const word = words[next];
    if (word === undefined) throw new ParseError(lineNumber, `expected ${columns.length} columns, got ${columnIndex}`);
    if (columnIndex === columns.length - 1) {
      applyLastColumn(row, role, restOfLine(line, word), lineNumber);
      next = words.length;
      return;
    }
    const taken = role === 'start' ? countStartWords(words, next) : 1;
    applyColumn(row, role, words.slice(next, next + taken), lineNumber);
    next += taken;
  });
  if (row.pid < 0) throw new ParseError(lineNumber, 'ps header has no PID column');
  return row;
}

/** lstart (`Tue Nov 18 10:00:00 2025`) is five words, `Nov 18` two, anything else (`10:02`, `Jun28`) one. */
function countStartWords(words: Word[], start: number): number {
  const candidate = words.slice(start, start + LSTART_WORDS).map((word) => word.text);
  const [, month = '', , time = ''] = candidate;
  if (candidate.length === LSTART_WORDS && MONTHS.includes(month) && /^\d{1,2}:\d{2}:\d{2}$/.test(time)) return LSTART_WORDS;
  if (MONTHS.includes(candidate[0] ?? '') && /^\d{1,2}$/.test(candidate[1] ?? '')) return 2;
  return 1;
}

function applyColumn(row: ProcessRow, role: ColumnRole, words: Word[], lineNumber: number): void {
  const value = words.map((word) => word.text).join(' ');
  switch (role) {
    case 'pid':
      row.pid = parsePid(value, lineNumber);
      return;
    case 'ppid':
      row.ppid = parsePid(value, lineNumber, 'ppid');
      return;
    case 'user':
    case 'uid':
      applyUser(row, value, lineNumber);
      return;
    case 'start':
      if (words.length === LSTART_WORDS) row.startedAt = startTimeFromLstart(value, lineNumber);
      return;
    case 'command':
      Object.assign(row, splitCommandLine(value));
      return;
    case 'comm':
      row.command = value;
  }
}

/** A name, or the numeric uid. procps cuts long names to 7 characters and a `+`: not the real name, so null. */
function applyUser(row: ProcessRow, value: string, lineNumber: number): void {
  if (isDecimal(value)) row.uid = parseUid(value, lineNumber);
  else if (!value.endsWith('+')) row.user = value;
}

function applyLastColumn(row: ProcessRow, role: ColumnRole, text: string, lineNumber: number): void {
  if (role === 'command') {
    Object.assign(row, splitCommandLine(text));
    return;
  }
  if (role === 'comm') {
    row.command = text;
    return;
  }
  applyColumn(row, role, splitWordsWithOffsets(text), lineNumber);
  if (row.command === '') throw new ParseError(lineNumber, 'ps header has no COMMAND column');
}

/**
 * The command column holds the command line; the command is its first word's base name. `[kthreadd]`
 * is how ps shows a process with no command line at all (a kernel thread), so args is null.
 */
function splitCommandLine(text: string): Pick<ProcessRow, 'command' | 'args'> {
  // `ps auxf` draws the process tree in front of the command.
  const args = text.replace(/^(?:\|\s+)*\\_\s+/, '');
  const kernelThread = /^\[(.+)\](?: <defunct>)?$/.exec(args);
  if (kernelThread !== null) return { command: kernelThread[1] ?? '', args: null };
  const program = programPath(args);
  const baseName = program.slice(program.lastIndexOf('/') + 1) || program;
  // setproctitle(3) titles read "name: status" (sshd: alice@pts/0, postgres: checkpointer).
  const command = baseName.length > 1 && baseName.endsWith(':') && args.length > program.length ? baseName.slice(0, -1) : baseName;
  return { command, args };
}

/** Directories of macOS bundles, whose names often hold spaces (`Software Update.app`, `Google Chrome Helper.app`). */
const BUNDLE_DIRECTORY = /\.(?:app|appex|framework|bundle|xpc|plugin|kext|prefPane|service|systemextension|driver|mdimporter|qlgenerator|saver)$/;
/** Directories with spaces that hold programs outside bundles. */
const SPACED_DIRECTORIES = new Set(['Application Support']);
const MAX_WORDS_IN_A_DIRECTORY = 6;

/**
 * The program's path: the first word, unless it is an absolute path whose directory names hold spaces
 * (macOS `/System/Library/CoreServices/Software Update.app/Contents/...`): ps joins argv with spaces, so
 * only a directory that is a bundle (or a known spaced directory) says where the path really continues.
 */
function programPath(args: string): string {
  const words = args.split(' ');
  let path = words[0] ?? '';
  if (!path.startsWith('/')) return args.split(/\s/)[0] ?? '';
  let next = 1;
  while (next < words.length) {
    const joined = joinSpacedDirectory(path, words, next);
    if (joined === null) break;
    path = joined.path;
    next = joined.next;
  }
  return joinBundleExecutable(path, words, next);
}

/** A bundle's executable is usually named after it (`Google Chrome.app/Contents/MacOS/Google Chrome`). */
function joinBundleExecutable(path: string, words: string[], next: number): string {
  const directories = path.split('/').slice(0, -1);
  const bundle = [...directories].reverse().find((directory) => BUNDLE_DIRECTORY.test(directory));
  if (bundle === undefined) return path;
  const bundleName = bundle.slice(0, bundle.lastIndexOf('.'));
  const executable = path.slice(path.lastIndexOf('/') + 1);
  for (let end = next; end < words.length && end < next + MAX_WORDS_IN_A_DIRECTORY; end++) {
    const candidate = [executable, ...words.slice(next, end + 1)].join(' ');
    if (candidate === bundleName) return [path, ...words.slice(next, end + 1)].join(' ');
    if (!bundleName.startsWith(`${candidate} `)) break;
  }
  return path;
}

/** The path continued through words[start..], when they finish a bundle or spaced directory; null otherwise. */
function joinSpacedDirectory(path: string, words: string[], start: number): { path: string; next: number } | null {
  const directoryStart = path.slice(path.lastIndexOf('/') + 1);
  const parts: string[] = [];
  for (let index = start; index < words.length && index < start + MAX_WORDS_IN_A_DIRECTORY; index++) {
    const word = words[index] ?? '';
    if (word === '' || word.startsWith('-') || word.startsWith('/')) return null;
    const slash = word.indexOf('/');
    if (slash < 0) {
      parts.push(word);
      continue;
    }
    const directory = [directoryStart, ...parts, word.slice(0, slash)].join(' ');
    if (!BUNDLE_DIRECTORY.test(directory) && !SPACED_DIRECTORIES.has(directory)) return null;
    return { path: [path, ...parts, word].join(' '), next: index + 1 };
  }
  return null;
}
