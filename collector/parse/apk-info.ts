// `apk info -v`: one installed package per line as NAME-VERSION (`-vv` adds " - DESCRIPTION"):
//   musl-1.2.4-r2
//   font-adobe-100dpi-1.0.3-r3
// apk splits the two at the last dash followed by a digit, passing over the one dash of "-rN"
// (apk_pkg_parse_name). Plain `apk info` prints names only, which cannot be told from NAME-VERSION
// in general (apk-package(5)); a version that does not follow apk's version rules is refused.
// The listing names no architecture and no install time: both null.
import type { PackageRow } from '../../lib/schemas/snapshot';
import { packageRow, readPackageLines, requirePackages } from './package-rows';
import { ParseError, quote } from './parse-error';
import { splitLines } from './text-lines';

/** number{.number}{letter}{_suffix{number}}{~hash}{-r#}, apk-package(5). */
const APK_VERSION = /^\d+(?:\.\d+)*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*(?:~[0-9a-f]+)?(?:-r\d+)?$/;

export function parseApkInfo(text: string): PackageRow[] {
  const rows = readPackageLines(splitLines(text), (line, lineNumber) => {
    const [nameVersion = '', ...description] = line.trim().split(/\s+/);
    if (description.length > 0 && description[0] !== '-') {
      throw new ParseError(lineNumber, `expected NAME-VERSION (apk info -v), got ${quote(line)}`);
    }
    return packageRow('apk', { ...splitNameVersion(nameVersion, lineNumber), arch: null }, lineNumber);
  });
  return requirePackages(rows, text, 'no package listed');
}

function splitNameVersion(nameVersion: string, lineNumber: number): { name: string; version: string } {
  let dashesPassed = 0;
  for (let index = nameVersion.length - 2; index > 0; index -= 1) {
    if (nameVersion[index] !== '-') continue;
    if (/\d/.test(nameVersion[index + 1] ?? '')) {
      const version = nameVersion.slice(index + 1);
      if (APK_VERSION.test(version)) return { name: nameVersion.slice(0, index), version };
      break;
    }
    dashesPassed += 1;
    if (dashesPassed >= 2) break;
  }
  throw new ParseError(lineNumber, `expected NAME-VERSION such as "musl-1.2.4-r2" (apk info -v, not apk info), got ${quote(nameVersion)}`);
}
