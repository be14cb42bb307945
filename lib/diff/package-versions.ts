// Which of two versions of one package is newer, as its package manager decides: Debian's
// (dpkg --compare-versions: epoch, upstream, revision; `~` before anything), rpm's (rpmvercmp:
// epoch, then alphanumeric segments, numbers newer than letters, `~` older and `^` newer), and
// apk's (dotted numbers, letter, suffixes _alpha < _beta < _pre < _rc < release < _p, then -rN).

/** Negative when a is older than b, positive when newer, 0 when the same. */
export function compareVersions(source: string, a: string, b: string): number {
  if (a === b) return 0;
  if (source === 'rpm') return compareRpm(a, b);
  if (source === 'apk') return compareApk(a, b);
  return compareDebian(a, b);
}

// ---- Debian (dpkg lib/dpkg/version.c) ----

function splitDebian(version: string): { epoch: number; upstream: string; revision: string } {
  const colon = version.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(version.slice(0, colon)) ? Number(version.slice(0, colon)) : 0;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) } : { epoch, upstream: rest, revision: '' };
}

/** dpkg's character order: `~` first, then the end of the string, then letters, then everything else. */
function debianOrder(character: string | undefined): number {
  if (character === undefined) return 0;
  if (character === '~') return -1;
  if (/[A-Za-z]/.test(character)) return character.charCodeAt(0);
  return character.charCodeAt(0) + 256;
}

function compareDebianPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let difference = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const left = i < a.length && !isDigit(a[i]) ? debianOrder(a[i]) : 0;
      const right = j < b.length && !isDigit(b[j]) ? debianOrder(b[j]) : 0;
      if (left !== right) return left - right;
      i += 1;
      j += 1;
    }
    while (a[i] === '0') i += 1;
    while (b[j] === '0') j += 1;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (difference === 0) difference = a.charCodeAt(i) - b.charCodeAt(j);
      i += 1;
      j += 1;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (difference !== 0) return difference;
  }
  return 0;
}

function compareDebian(a: string, b: string): number {
  const left = splitDebian(a);
  const right = splitDebian(b);
  return left.epoch - right.epoch || compareDebianPart(left.upstream, right.upstream) || compareDebianPart(left.revision, right.revision);
}

const isDigit = (character: string | undefined) => character !== undefined && character >= '0' && character <= '9';

// ---- rpm (rpmio/rpmvercmp.c), on `[epoch:]version-release` ----

function compareRpm(a: string, b: string): number {
  const left = splitDebian(a);
  const right = splitDebian(b);
  return left.epoch - right.epoch || rpmvercmp(left.upstream, right.upstream) || rpmvercmp(left.revision, right.revision);
}

function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !/[A-Za-z0-9~^]/.test(a[i] as string)) i += 1;
    while (j < b.length && !/[A-Za-z0-9~^]/.test(b[j] as string)) j += 1;
    // A tilde sorts before anything, even the end.
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i += 1;
      j += 1;
      continue;
    }
    // A caret sorts after the end, before anything else.
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const isNumeric = isDigit(a[i]);
    const segmentOf = (text: string, start: number) => {
      let end = start;
      while (end < text.length && (isNumeric ? isDigit(text[end]) : /[A-Za-z]/.test(text[end] as string))) end += 1;
      return text.slice(start, end);
    };
    const left = segmentOf(a, i);
    const right = segmentOf(b, j);
    // Segments of different kinds: the number is newer.
    if (right.length === 0) return isNumeric ? 1 : -1;
    i += left.length;
    j += right.length;
    if (isNumeric) {
      const trimmedLeft = left.replace(/^0+/, '');
      const trimmedRight = right.replace(/^0+/, '');
      if (trimmedLeft.length !== trimmedRight.length) return trimmedLeft.length - trimmedRight.length;
      if (trimmedLeft !== trimmedRight) return trimmedLeft < trimmedRight ? -1 : 1;
    } else if (left !== right) {
      return left < right ? -1 : 1;
    }
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

// ---- apk (apk-tools src/version.c), `1.2.3a_rc1_p2-r4` ----

const apkSuffixOrder: Record<string, number> = { alpha: -4, beta: -3, pre: -2, rc: -1, cvs: 1, svn: 1, git: 1, hg: 1, p: 2 };

function compareApk(a: string, b: string): number {
  const parse = (version: string) => {
    const match = /^(.*?)(?:-r(\d+))?$/.exec(version) as RegExpExecArray;
    const [main = '', ...suffixes] = (match[1] ?? '').split('_');
    const letterMatch = /^([\d.]*)([a-z]?)$/.exec(main);
    return {
      numbers: (letterMatch?.[1] ?? main).split('.').filter((part) => part !== ''),
      letter: letterMatch?.[2] ?? '',
      suffixes: suffixes.map((suffix) => {
        const parts = /^([a-z]+)(\d*)$/.exec(suffix);
        return { order: apkSuffixOrder[parts?.[1] ?? ''] ?? 0, number: Number(parts?.[2] || 0) };
      }),
      release: Number(match[2] ?? 0),
    };
  };
  const left = parse(a);
  const right = parse(b);
  const length = Math.max(left.numbers.length, right.numbers.length);
  for (let index = 0; index < length; index += 1) {
    const x = left.numbers[index];
    const y = right.numbers[index];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    // After the first component, a leading zero makes it a fraction (1.02 < 1.1), as apk reads it.
    const difference = index > 0 && (x.startsWith('0') || y.startsWith('0')) ? (x < y ? -1 : x > y ? 1 : 0) : Number(x) - Number(y);
    if (difference !== 0) return difference;
  }
  if (left.letter !== right.letter) return left.letter < right.letter ? -1 : 1;
  const suffixes = Math.max(left.suffixes.length, right.suffixes.length);
  for (let index = 0; index < suffixes; index += 1) {
    const x = left.suffixes[index] ?? { order: 0, number: 0 };
    const y = right.suffixes[index] ?? { order: 0, number: 0 };
    if (x.order !== y.order) return x.order - y.order;
    if (x.number !== y.number) return x.number - y.number;
  }
  return left.release - right.release;
}
