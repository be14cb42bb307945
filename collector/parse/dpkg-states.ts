// dpkg's package states, as the status file spells them and as `dpkg -l` abbreviates them, and the
// one decision every dpkg reader shares: which states count as installed.
import { ParseError, quote } from './parse-error';

/** The third word of a Status field. */
export type DpkgState =
  'not-installed' | 'config-files' | 'half-installed' | 'unpacked' | 'half-configured' | 'triggers-awaited' | 'triggers-pending' | 'installed';

/** `dpkg -l`'s second letter: dpkg prints the state at its index in "ncHUFWti". */
const STATE_BY_LETTER: Record<string, DpkgState> = {
  n: 'not-installed',
  c: 'config-files',
  H: 'half-installed',
  U: 'unpacked',
  F: 'half-configured',
  W: 'triggers-awaited',
  t: 'triggers-pending',
  i: 'installed',
};
const STATES = new Set<string>(Object.values(STATE_BY_LETTER));
/** Selection (first word): unknown, install, hold, deinstall, purge; `dpkg -l` letters u, i, h, r, p. */
const WANTS = new Set(['unknown', 'install', 'hold', 'deinstall', 'purge']);
const WANT_LETTERS = new Set(['u', 'i', 'h', 'r', 'p']);
/** Error flag (second word): ok and reinstreq; dpkg before 1.15 also wrote hold and hold-reinstreq. */
const ERROR_FLAGS = new Set(['ok', 'reinstreq', 'hold', 'hold-reinstreq']);
const ERROR_FLAG_LETTERS = new Set([' ', 'R', 'H', 'X']);

/**
 * Installed means "the package's files are on disk", whatever was asked for it (a package selected
 * for removal, `ri`, is still there) and however far its configuration got: unpacked, half-configured
 * and half-installed packages count, because a `dpkg --unpack` puts runnable files on disk without
 * configuring them. Removed packages whose configuration files remain (`rc`) and packages dpkg merely
 * knows of (`pn`, `un`) do not.
 */
export function isInstalledState(state: DpkgState): boolean {
  return state !== 'not-installed' && state !== 'config-files';
}

/** The state of a Status field (`install ok installed`), or a ParseError naming what is wrong. */
export function parseStatusField(value: string, line: number): DpkgState {
  const [want = '', errorFlag = '', state = '', ...extra] = value.trim().split(/\s+/);
  if (extra.length > 0 || !WANTS.has(want) || !ERROR_FLAGS.has(errorFlag) || !STATES.has(state)) {
    throw new ParseError(line, `Status ${quote(value)} is not "WANT FLAG STATE" such as "install ok installed"`);
  }
  return state as DpkgState;
}

/** The state behind `dpkg -l`'s (and `${db:Status-Abbrev}`'s) three letters, such as `ii ` or `rc `. */
export function parseStateLetters(letters: string, line: number): DpkgState {
  const [want = '', stateLetter = '', errorFlag = ' '] = letters;
  const state = STATE_BY_LETTER[stateLetter];
  if (!WANT_LETTERS.has(want) || state === undefined || !ERROR_FLAG_LETTERS.has(errorFlag)) {
    throw new ParseError(line, `status ${quote(letters)} is not dpkg's three letters such as "ii " or "rc "`);
  }
  return state;
}
