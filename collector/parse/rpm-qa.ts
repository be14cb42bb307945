// `rpm -qa`, one package per line as rpm's %_query_all_fmt prints it: NAME-VERSION-RELEASE.ARCH
// (%{nvra}) on current rpm, NAME-VERSION-RELEASE on old ones (RHEL 5), NAME-EPOCH:VERSION-RELEASE.ARCH
// with --qf '%{nevra}\n':
//   bash-5.1.8-9.el9.x86_64
//   openssl-libs-3.0.7-27.el9.x86_64
//   gpg-pubkey-fd431d51-4ae0493b          (an imported signing key: no architecture)
// Versions and releases never hold a dash, so the last two dashes split NAME, VERSION and RELEASE.
// The release holds dots (9.el9), so ARCH is the last dot-separated word only in a listing where
// lines end in a known architecture.
//
// And the exact form the collector itself asks for (RPM_QUERY_FORMAT): NAME, EPOCH, VERSION, RELEASE,
// ARCH and INSTALLTIME separated by tabs, "(none)" for a tag the header lacks.
//
// Kept: gpg-pubkey rows are the keys rpm trusts to sign packages; a new one is worth seeing.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { hasWhitespace, packageRow, readPackageLines, requirePackages } from './package-rows';
import { ParseError, quote } from './parse-error';
import { splitLines } from './text-lines';

/** What the native reader runs: `rpm -qa --queryformat RPM_QUERY_FORMAT`. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{INSTALLTIME}\\n';
const QUERY_FORMAT_FIELDS = 6;
const NO_VALUE = '(none)';

/** rpm's canonical architectures (arch_canon in rpmrc) and the usual aliases. */
const RPM_ARCHITECTURES = new Set([
  'noarch',
  'i386',
  'i486',
  'i586',
  'i686',
  'athlon',
  'geode',
  'pentium3',
  'pentium4',
  'x86_64',
  'amd64',
  'ia32e',
  'em64t',
  'x86_64_v2',
  'x86_64_v3',
  'x86_64_v4',
  'ia64',
  'aarch64',
  'armv3l',
  'armv4b',
  'armv4l',
  'armv4tl',
  'armv5tl',
  'armv5tel',
  'armv5tejl',
  'armv6l',
  'armv6hl',
  'armv7l',
  'armv7hl',
  'armv7hnl',
  'armv8l',
  'armv8hl',
  'ppc',
  'ppc8260',
  'ppc8560',
  'ppc32dy4',
  'ppciseries',
  'ppcpseries',
  'ppc64',
  'ppc64le',
  'ppc64p7',
  'ppc64pseries',
  'ppc64iseries',
  's390',
  's390x',
  'sparc',
  'sparcv8',
  'sparcv9',
  'sparcv9v',
  'sparc64',
  'sparc64v',
  'alpha',
  'alphaev5',
  'alphaev56',
  'alphapca56',
  'alphaev6',
  'alphaev67',
  'mips',
  'mipsel',
  'mips64',
  'mips64el',
  'mipsr6',
  'mipsr6el',
  'mips64r6',
  'mips64r6el',
  'riscv64',
  'loongarch64',
  'm68k',
  'sh3',
  'sh4',
  'sh4a',
  'xtensa',
]);

export function parseRpmQa(text: string): PackageRow[] {
  return requirePackages(readRpmPackages(text), text, 'no package listed');
}

/** The rows of `rpm -qa` output in either form; no rows for no output (an empty rpm database). */
export function readRpmPackages(text: string): PackageRow[] {
  const lines = splitLines(text);
  const hasArchSuffix = lines.some((line) => !line.includes('\t') && RPM_ARCHITECTURES.has(archSuffix(line.trim()) ?? ''));
  return readPackageLines(lines, (line, lineNumber) => {
    const fields = line.includes('\t') ? parseQueryFormatLine(line, lineNumber) : parseNvraLine(line.trim(), hasArchSuffix, lineNumber);
    return packageRow('rpm', fields, lineNumber);
  });
}

/** The word after the last dot of the release, if the line has a release with a dot. */
function archSuffix(nvra: string): string | null {
  const release = nvra.slice(nvra.lastIndexOf('-') + 1);
  const dot = release.lastIndexOf('.');
  return dot < 0 ? null : release.slice(dot + 1);
}

function parseNvraLine(nvra: string, hasArchSuffix: boolean, lineNumber: number) {
  if (hasWhitespace(nvra)) {
    throw new ParseError(lineNumber, `expected NAME-VERSION-RELEASE.ARCH, got ${quote(nvra)} (rpm -qa without --last or --queryformat)`);
  }
  const arch = hasArchSuffix ? archSuffix(nvra) : null;
  const nvr = arch === null ? nvra : nvra.slice(0, -(arch.length + 1));
  const releaseDash = nvr.lastIndexOf('-');
  const versionDash = nvr.lastIndexOf('-', releaseDash - 1);
  const name = nvr.slice(0, Math.max(versionDash, 0));
  const version = nvr.slice(versionDash + 1, releaseDash);
  const release = nvr.slice(releaseDash + 1);
  if (versionDash <= 0 || version === '' || release === '' || !/^(?:\d+:)?[^:]+$/.test(version)) {
    throw new ParseError(lineNumber, `expected NAME-VERSION-RELEASE.ARCH, got ${quote(nvra)}`);
  }
  return { name, version: `${version}-${release}`, arch: arch === '' ? null : arch };
}

function parseQueryFormatLine(line: string, lineNumber: number) {
  const fields = line.split('\t');
  if (fields.length !== QUERY_FORMAT_FIELDS) {
    throw new ParseError(
      lineNumber,
      `expected ${QUERY_FORMAT_FIELDS} tab-separated fields (rpm -qa --queryformat '${RPM_QUERY_FORMAT}'), got ${fields.length}`,
    );
  }
  const [name = '', epoch = '', version = '', release = '', arch = '', installTime = ''] = fields;
  if (name === '' || version === '' || version === NO_VALUE || release === '' || release === NO_VALUE) {
    throw new ParseError(lineNumber, `expected NAME, VERSION and RELEASE, got ${quote(line)}`);
  }
  if (epoch !== NO_VALUE && !/^\d+$/.test(epoch)) throw new ParseError(lineNumber, `epoch ${quote(epoch)} is not a number`);
  return {
    name,
    version: `${epoch === NO_VALUE ? '' : `${epoch}:`}${version}-${release}`,
    arch: arch === NO_VALUE || arch === '' ? null : arch,
    installedAt: parseInstallTime(installTime, lineNumber),
  };
}

/** INSTALLTIME: seconds since the epoch, as rpm stores it. */
function parseInstallTime(text: string, lineNumber: number): string | null {
  if (text === NO_VALUE) return null;
  if (!/^\d{1,12}$/.test(text)) throw new ParseError(lineNumber, `install time ${quote(text)} is not a number of seconds`);
  const date = new Date(Number(text) * 1000);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) throw new ParseError(lineNumber, `install time ${quote(text)} out of range`);
  return date.toISOString();
}
