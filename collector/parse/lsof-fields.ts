// `lsof -F` output with any field selection, newline- or NUL-terminated (-F0): one socket row per
// internet file. Process fields (p c u L R g ...) apply to every file set that follows them.
// Names are read as lsof prints them without -n and -P (`localhost:smtp`). With -K each task (thread)
// repeats its process's files under `p` and `K`: one socket is still one row.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { requireRows } from './empty-result';
import { isInternetFileType, isLsofWarning, parseLsofAddress, toLsofTransport } from './lsof-address';
import { parseCount, parsePid, parseUid } from './numbers';
import { ParseError, quote } from './parse-error';
import { endpointFields, makeSocketRow, toSocketProtocol } from './socket-row';
import { splitLines } from './text-lines';

export { lsofFieldsToCsv } from './lsof-fields-csv';

interface LsofField {
  id: string;
  value: string;
  line: number;
}

interface ProcessSet {
  pid: number | null;
  command: string | null;
  login: string | null;
  uid: number | null;
  /** K: the task (thread) whose files follow; null for the process itself. */
  taskId: number | null;
}

interface FileSet {
  process: ProcessSet;
  fields: Map<string, LsofField>;
  /** TCP/TPI details by prefix: ST (state), QR, QS, ... */
  tcpInfo: Map<string, string>;
  line: number;
}

// lsof(8), OUTPUT FOR OTHER PROGRAMS: which identifiers describe the process and which one file.
const PROCESS_FIELD_IDS = new Set(['p', 'g', 'R', 'c', 'u', 'L', 'K', 'M', 'z', 'Z']);
const FILE_FIELD_IDS = new Set(['a', 'C', 'd', 'D', 'E', 'f', 'F', 'G', 'i', 'k', 'l', 'n', 'N', 'o', 'P', 'r', 's', 'S', 't', 'T']);
const DIALECT_FIELD_IDS = /^[1-9]$/;
/** `m` separates the repetitions of `lsof -r`. */
const MARKER_FIELD_ID = 'm';

export function parseLsofFields(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  const seenFiles = new Set<string>();
  let process = emptyProcess();
  let file: FileSet | null = null;
  const finishFile = () => {
    const finished = file;
    file = null;
    if (finished === null || isTaskRepeat(finished, seenFiles)) return;
    const row = toSocketRow(finished);
    if (row === null) return;
    rows.push(row);
    checkCount(rows.length, MAX_SOCKETS, 'sockets', finished.line);
  };
  for (const field of readLsofFields(text)) {
    if (field.id === 'p' || field.id === MARKER_FIELD_ID) finishFile();
    if (field.id === 'p') process = emptyProcess();
    if (PROCESS_FIELD_IDS.has(field.id)) {
      applyProcessField(process, field);
    } else if (FILE_FIELD_IDS.has(field.id) || DIALECT_FIELD_IDS.test(field.id)) {
      if (file === null || startsNewFile(file, field)) {
        finishFile();
        file = { process, fields: new Map(), tcpInfo: new Map(), line: field.line };
      }
      addFileField(file, field);
    } else if (field.id !== MARKER_FIELD_ID) {
      throw new ParseError(field.line, `unknown lsof field ${quote(field.id)}`);
    }
  }
  finishFile();
  return requireRows(rows, text, 'lsof-F', 'no internet sockets in this lsof -F output (run lsof with -i)');
}

/** A task's copy of a file its process (or an earlier task) already listed. */
function isTaskRepeat(file: FileSet, seenFiles: Set<string>): boolean {
  const fields = [...file.fields].map(([id, field]) => `${id}${field.value}`).sort();
  const key = [file.process.pid, ...fields].join('\u0000');
  if (file.process.taskId !== null && seenFiles.has(key)) return true;
  seenFiles.add(key);
  return false;
}

/** Fields one per line (-F) or NUL-terminated with a newline after each set (-F0). */
function* readLsofFields(text: string): Generator<LsofField> {
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index] ?? '';
    if (lineText === '' || isLsofWarning(lineText)) continue;
    const pieces = lineText.split('\u0000');
    if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
    for (const piece of pieces) {
      if (piece === '') throw new ParseError(index + 1, 'empty lsof field');
      yield { id: piece.charAt(0), value: piece.slice(1), line: index + 1 };
    }
  }
}

function emptyProcess(): ProcessSet {
  return { pid: null, command: null, login: null, uid: null, taskId: null };
}

function applyProcessField(process: ProcessSet, field: LsofField): void {
  switch (field.id) {
    case 'p':
      process.pid = parsePid(field.value, field.line);
      return;
    case 'c':
      process.command = field.value;
      return;
    case 'L':
      process.login = field.value;
      return;
    case 'u':
      process.uid = parseUid(field.value, field.line);
      return;
    case 'R':
      parsePid(field.value, field.line, 'parent pid');
      return;
    case 'g':
      parsePid(field.value, field.line, 'process group');
      return;
    case 'K':
      process.taskId = parsePid(field.value, field.line, 'task id');
  }
}

/** `f` always opens a file set; without `f` in the selection, the first repeated field does (T repeats by design). */
function startsNewFile(file: FileSet, field: LsofField): boolean {
  if (field.id === 'f') return file.fields.size > 0 || file.tcpInfo.size > 0;
  return field.id !== 'T' && file.fields.has(field.id);
}

function addFileField(file: FileSet, field: LsofField): void {
  if (field.id !== 'T') {
    file.fields.set(field.id, field);
    return;
  }
  const match = /^([A-Z]{2})=(.*)$/.exec(field.value);
  if (match === null) throw new ParseError(field.line, `expected TCP/TPI info like "ST=LISTEN", got ${quote(field.value)}`);
  file.tcpInfo.set(match[1] ?? '', match[2] ?? '');
}

function toSocketRow(file: FileSet): SocketRow | null {
  const type = file.fields.get('t');
  if (type !== undefined && !isInternetFileType(type.value)) return null;
  const protocol = file.fields.get('P');
  if (protocol === undefined) {
    if (type === undefined) return null;
    throw new ParseError(type.line, `${type.value} file has no P (protocol) field`);
  }
  const transport = toLsofTransport(protocol.value);
  if (transport === null) return null;
  const name = file.fields.get('n');
  if (name === undefined) throw new ParseError(protocol.line, 'internet file has no n (name) field');
  const { local, remote } = parseLsofAddress(name.value, name.line, transport);
  const isIpv6 = type === undefined ? guessIsIpv6(local.isBracketed, local.address, name) : type.value === 'IPv6';
  const inode = file.fields.get('i');
  return makeSocketRow(
    {
      proto: toSocketProtocol(transport, isIpv6),
      ...endpointFields(local, remote),
      state: file.tcpInfo.get('ST') ?? null,
      pid: file.process.pid,
      process: file.process.command,
      user: file.process.login,
      uid: file.process.uid,
      inode: inode === undefined ? null : parseCount(inode.value, 'inode', inode.line),
    },
    file.line,
  );
}

/** Without the t field only the address tells the family, and `*` does not. */
function guessIsIpv6(isBracketed: boolean, address: string, name: LsofField): boolean {
  if (isBracketed) return true;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) return false;
  throw new ParseError(name.line, `cannot tell IPv4 from IPv6 for ${quote(name.value)} without the t (type) field`);
}
