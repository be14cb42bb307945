// One entry point for every tool format the collector can import; each format's parser lives in its own file.
import type { InterfaceRow, PackageRow, ProcessRow, SocketRow, TracerouteRun } from '../../lib/schemas/snapshot';
import { parseApkInfo } from './apk-info';
import { parseApkInstalled } from './apk-installed';
import { parseDpkgList } from './dpkg-list';
import { parseDpkgQuery } from './dpkg-query';
import { parseDpkgStatus } from './dpkg-status';
import { parseIfconfig } from './ifconfig';
import { parseIpLink } from './ip-link';
import { parseLsofFields } from './lsof-fields';
import { parseLsofText } from './lsof-text';
import { parseNetstat } from './netstat';
import { parsePs } from './ps';
import { parseRpmQa } from './rpm-qa';
import { parseSs } from './ss';
import { parseTraceroute } from './traceroute';

export { ParseError } from './parse-error';
export { lsofFieldsToCsv } from './lsof-fields';
export { parseWebjobEnv } from './webjob-env';
export { parseIfconfig, parseIpLink, parseLsofFields, parseLsofText, parseNetstat, parsePs, parseSs, parseTraceroute };
export { parseApkInfo, parseApkInstalled, parseDpkgList, parseDpkgQuery, parseDpkgStatus, parseRpmQa };

export const parseFormats = [
  'lsof-F', 'lsof', 'netstat', 'ss', 'ifconfig', 'ip-link', 'ps', 'traceroute',
  'rpm-qa', 'dpkg-l', 'dpkg-query', 'dpkg-status', 'apk-info', 'apk-installed',
] as const;
export type ParseFormat = (typeof parseFormats)[number];

export interface ParsedSections {
  sockets?: SocketRow[];
  processes?: ProcessRow[];
  interfaces?: InterfaceRow[];
  traceroutes?: TracerouteRun[];
  packages?: PackageRow[];
}

export function parseToolOutput(format: ParseFormat, text: string): ParsedSections {
  switch (format) {
    case 'lsof-F':
      return { sockets: parseLsofFields(text) };
    case 'lsof':
      return { sockets: parseLsofText(text) };
    case 'netstat':
      return { sockets: parseNetstat(text) };
    case 'ss':
      return { sockets: parseSs(text) };
    case 'ifconfig':
      return { interfaces: parseIfconfig(text) };
    case 'ip-link':
      return { interfaces: parseIpLink(text) };
    case 'ps':
      return { processes: parsePs(text) };
    case 'traceroute':
      return { traceroutes: parseTraceroute(text) };
    case 'rpm-qa':
      return { packages: parseRpmQa(text) };
    case 'dpkg-l':
      return { packages: parseDpkgList(text) };
    case 'dpkg-query':
      return { packages: parseDpkgQuery(text) };
    case 'dpkg-status':
      return { packages: parseDpkgStatus(text) };
    case 'apk-info':
      return { packages: parseApkInfo(text) };
    case 'apk-installed':
      return { packages: parseApkInstalled(text) };
  }
}
