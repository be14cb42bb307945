// WebJob's `.env` file: how a job ran (command line, exit status, signal, epochs), one KEY=VALUE a line.
//   CommandLine=lsof -Di -n -P -itcp -iudp
//   KidStatus=0
//   JobEpoch=2002-11-19 15:53:56 GMT (1037721236.101192)
import { type RunMetadata, runSchema } from '../../lib/schemas/snapshot';
import { checkRow } from './check-rows';
import { parseCount } from './numbers';
import { ParseError, quote } from './parse-error';
import { isBlank, splitLines } from './text-lines';

type TextKey = 'commandLine' | 'reason' | 'hostname' | 'systemOs';
type EpochKey = 'jobEpoch' | 'getEpoch' | 'runEpoch' | 'putEpoch';

const TEXT_KEYS = new Map<string, TextKey>([
  ['CommandLine', 'commandLine'],
  ['KidReason', 'reason'],
  ['Hostname', 'hostname'],
  ['SystemOS', 'systemOs'],
]);
const EPOCH_KEYS = new Map<string, EpochKey>([
  ['JobEpoch', 'jobEpoch'],
  ['GetEpoch', 'getEpoch'],
  ['RunEpoch', 'runEpoch'],
  ['PutEpoch', 'putEpoch'],
]);
const MAX_EXIT_STATUS = 255;
/** 9999-12-31T23:59:59Z: the last second an ISO timestamp with a four-digit year can hold. */
const MAX_EPOCH_SECONDS = 253_402_300_799;

export function parseWebjobEnv(text: string): RunMetadata {
  const run: RunMetadata = {
    commandLine: null,
    exitStatus: null,
    signal: null,
    reason: null,
    hostname: null,
    systemOs: null,
    jobEpoch: null,
    getEpoch: null,
    runEpoch: null,
    putEpoch: null,
  };
  splitLines(text).forEach((line, index) => {
    const lineNumber = index + 1;
    if (isBlank(line)) return;
    const match = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(line);
    if (match === null) throw new ParseError(lineNumber, `expected KEY=VALUE, got ${quote(line)}`);
    applyEntry(run, match[1] ?? '', match[2] ?? '', lineNumber);
    checkRow(runSchema, run, lineNumber);
  });
  return run;
}

/** Keys this model has no field for (JobPid, KidPid, ...) are passed over. */
function applyEntry(run: RunMetadata, key: string, value: string, lineNumber: number): void {
  const textKey = TEXT_KEYS.get(key);
  const epochKey = EPOCH_KEYS.get(key);
  if (textKey !== undefined) run[textKey] = value === '' ? null : value;
  else if (epochKey !== undefined) run[epochKey] = epochToIso(value, lineNumber);
  else if (key === 'KidStatus') run.exitStatus = parseExitStatus(value, lineNumber);
  else if (key === 'KidSignal') run.signal = parseCount(value, 'KidSignal', lineNumber, MAX_EXIT_STATUS);
}

/** WebJob writes -1 when the kid never ran. */
function parseExitStatus(value: string, lineNumber: number): number {
  return value === '-1' ? -1 : parseCount(value, 'KidStatus', lineNumber, MAX_EXIT_STATUS);
}

/** `2002-11-19 15:53:56 GMT (1037721236.101192)`: the epoch in parentheses is exact; without it, the GMT date. */
function epochToIso(value: string, lineNumber: number): string {
  const epoch = /\((\d{1,15})(?:\.(\d{1,9}))?\)\s*$/.exec(value);
  if (epoch !== null) {
    const seconds = Number(epoch[1]);
    if (seconds > MAX_EPOCH_SECONDS) throw new ParseError(lineNumber, `epoch ${quote(epoch[1] ?? '')} out of range`);
    const milliseconds = Number((epoch[2] ?? '').padEnd(3, '0').slice(0, 3));
    return new Date(seconds * 1000 + milliseconds).toISOString();
  }
  const date = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(value.trim());
  if (date === null) throw new ParseError(lineNumber, `expected "YYYY-MM-DD HH:MM:SS GMT (EPOCH)", got ${quote(value)}`);
  const [year, month, day, hours, minutes, seconds] = date.slice(1).map(Number) as [number, number, number, number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  const isReal = parsed.getUTCDate() === day && parsed.getUTCMonth() === month - 1 && hours < 24 && minutes < 60 && seconds < 60;
  if (!isReal || year < 1970) {
    throw new ParseError(lineNumber, `date ${quote(value)} is not a real date`);
  }
  return parsed.toISOString();
}
