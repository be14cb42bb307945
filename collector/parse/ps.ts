// ps output with a header naming its columns: `ps aux`, `ps -ef`, `ps -eo pid,ppid,user,uid,lstart,args`
// (procps and BSD). The last column (COMMAND, CMD, ARGS) runs to the end of the line, spaces and all.
import { MAX_PROCESSES, type ProcessRow, processSchema } from '../../lib/schemas/snapshot';
import { checkCount, checkRow } from './check-rows';
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
    if (columns === null) throw new ParseError(lineNumber, `expected a ps header such as "USER PID ... COMMAND", got ${quote(line)}`);
    rows.push(checkRow(processSchema, parseProcessLine(line, words, columns, lineNumber), lineNumber));
    checkCount(rows.length, MAX_PROCESSES, 'processes', lineNumber);
  });
  return rows;
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
  const program = args.split(/\s/)[0] ?? '';
  const baseName = program.slice(program.lastIndexOf('/') + 1) || program;
  // setproctitle(3) titles read "name: status" (sshd: alice@pts/0, postgres: checkpointer).
  const command = baseName.length > 1 && baseName.endsWith(':') && args.length > program.length ? baseName.slice(0, -1) : baseName;
  return { command, args };
}
