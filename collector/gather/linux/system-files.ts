// Parsers for the small system files the snapshot's host and user names come from.

/** /etc/passwd → uid to user name; the first entry wins for a uid listed twice, as getpwuid(3) does. */
export function parseUserNames(passwdText: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of passwdText.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uidText] = line.split(':');
    if (name === undefined || name === '' || uidText === undefined || !/^\d+$/.test(uidText)) continue;
    const uid = Number(uidText);
    if (!names.has(uid)) names.set(uid, name);
  }
  return names;
}

/** /etc/passwd → uid to home directory (where rootless container runtimes keep their files); first entry wins. */
export function parseUserHomes(passwdText: string): Map<number, string> {
  const homes = new Map<number, string>();
  for (const line of passwdText.split('\n')) {
    if (line.startsWith('#')) continue;
    const [, , uidText, , , home] = line.split(':');
    if (uidText === undefined || !/^\d+$/.test(uidText) || home === undefined || !home.startsWith('/')) continue;
    const uid = Number(uidText);
    if (!homes.has(uid)) homes.set(uid, home);
  }
  return homes;
}

/** PRETTY_NAME from /etc/os-release (shell-style KEY=value, value optionally quoted). */
export function parsePrettyName(osReleaseText: string): string | null {
  const match = /^PRETTY_NAME=(.*)$/m.exec(osReleaseText);
  const raw = match?.[1]?.trim();
  if (raw === undefined || raw === '') return null;
  const quote = raw[0];
  const unquoted = (quote === '"' || quote === "'") && raw.endsWith(quote) && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(["'$`\\])/g, '$1') : raw;
  return unquoted === '' ? null : unquoted;
}

const HOST_NAME_MAX = 253;
const DISALLOWED_HOST_NAME_CHARACTERS = /[^A-Za-z0-9._-]/g;

/**
 * Host names travel in URLs and room names (the schema's hostName rule): anything else becomes `-`,
 * and the name must start with a letter or digit. `localhost` stands in for a name with none.
 */
export function sanitizeHostName(rawName: string): string {
  const cleaned = rawName
    .trim()
    .replace(DISALLOWED_HOST_NAME_CHARACTERS, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, HOST_NAME_MAX);
  return cleaned === '' ? 'localhost' : cleaned;
}

const OS_TEXT_MAX = 256;

/** `Linux 6.1.0-18-amd64 x86_64, Debian GNU/Linux 12 (bookworm)`. */
export function describeOperatingSystem(release: string, machine: string, prettyName: string | null): string {
  const kernelPart = `Linux ${release} ${machine}`;
  const text = prettyName === null ? kernelPart : `${kernelPart}, ${prettyName}`;
  return text.replaceAll('\u0000', '').slice(0, OS_TEXT_MAX);
}
