// The WebJob recipe's lsof-socket-out2csv.pl (`-h -f FILE`), reproduced rule for rule: same header,
// same rows, same empty fields, and a ParseError wherever the script exits 2. Its quirks are kept on
// purpose, so a table made here matches one made by the script byte for byte:
// - only the fields of `-FLucRptPTn` are accepted (any other code, an empty line or a value with a
//   space is an "unknown field code");
// - a file's fields start from the process fields seen before the process's first `t` line, so a
//   TCP state never leaks from one file to the next;
// - an IPv6 source address loses its brackets but a destination keeps them (the script's regex);
// - required codes are checked cumulatively, and only when a record is closed by a later `p` or `t`;
// - empty input still prints one row of empty fields (the script's final print is unconditional).
import { ParseError, quote } from './parse-error';

const FIELD_CODES = ['L', 'u', 'c', 'R', 'p', 't', 'P', 'TST', 'nsa', 'nsp', 'nda', 'ndp'] as const;
const HEADER = 'login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port';
const DELIMITER = '|';
const REQUIRED_CODES = 'LucRptPn';
const ACCEPTED_CODES = `${REQUIRED_CODES}T`;

// Perl's \s on a byte string is ASCII whitespace only; JavaScript's \s is wider, so spell it out.
const FIELD_LINE = /^(.)([^\t\n\v\f\r ]+)[\t\n\v\f\r ]*$/s;
const TCP_TPI_VALUE = /^(ST|QR|QS|WR|WW)=(.+)$/s;
const IPV4_NAME = /^([\d.*]+):(\*|\d+)(->([\d.*]+):(\*|\d+))?$/;
const IPV6_NAME = /^\[([0-9A-Fa-f:]+)\]:(\*|\d+)(->(\[[0-9A-Fa-f:]+\]):(\*|\d+))?$/;

type RecordValues = Map<string, string | undefined>;

export function lsofFieldsToCsv(text: string): string {
  const output = [HEADER];
  const observedCodes = new Set<string>();
  let values: RecordValues = new Map();
  let loners: RecordValues = new Map();
  let pidCount = 0;
  let typeCount = 0;
  const closeRecord = (lineNumber: number) => {
    checkRequiredCodes(observedCodes, lineNumber);
    output.push(formatRecord(values));
  };
  splitPerlLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    const [token, value] = readFieldLine(line, lineNumber);
    observedCodes.add(token);
    if (token === 'p') {
      if (pidCount++ >= 1) {
        closeRecord(lineNumber);
        values = new Map();
        loners = new Map();
        typeCount = 0;
      }
      values.set(token, value);
    } else if (token === 't') {
      if (typeCount++ === 0) {
        loners = new Map(values);
      } else {
        closeRecord(lineNumber);
        values = new Map(loners);
      }
      values.set(token, value);
    } else if (token === 'T') {
      const [key, tcpValue] = readTcpTpi(line, value, lineNumber);
      values.set(key, tcpValue);
    } else if (token === 'n') {
      setAddresses(values, line, value, lineNumber);
    } else {
      values.set(token, value);
    }
  });
  output.push(formatRecord(values));
  return `${output.join('\n')}\n`;
}

/** Perl's `<FH>` with chomp: split on newline only (a carriage return stays, and the field regex eats it). */
function splitPerlLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function readFieldLine(line: string, lineNumber: number): [string, string] {
  const match = FIELD_LINE.exec(line);
  const token = match?.[1];
  if (match === null || token === undefined || !ACCEPTED_CODES.includes(token)) {
    throw new ParseError(lineNumber, `unknown field code in ${quote(line)}`);
  }
  return [token, match[2] ?? ''];
}

function readTcpTpi(line: string, value: string, lineNumber: number): [string, string] {
  const match = TCP_TPI_VALUE.exec(value);
  if (match === null) throw new ParseError(lineNumber, `invalid TCP/TPI data in ${quote(line)}`);
  return [`T${match[1] ?? ''}`, match[2] ?? ''];
}

function setAddresses(values: RecordValues, line: string, value: string, lineNumber: number): void {
  const match = IPV4_NAME.exec(value) ?? IPV6_NAME.exec(value);
  if (match === null) throw new ParseError(lineNumber, `invalid address data in ${quote(line)}`);
  values.set('nsa', match[1]);
  values.set('nsp', match[2]);
  values.set('nda', match[4]);
  values.set('ndp', match[5]);
}

function checkRequiredCodes(observedCodes: Set<string>, lineNumber: number): void {
  const missing = [...REQUIRED_CODES].filter((code) => !observedCodes.has(code)).join('');
  if (missing !== '') throw new ParseError(lineNumber, `missing field codes ${missing} (needs lsof -FLucRptPTn)`);
}

function formatRecord(values: RecordValues): string {
  return FIELD_CODES.map((code) => values.get(code) ?? '').join(DELIMITER);
}
