// The tool formats the collector imports, named as `--format` takes them.
export const parseFormats = [
  'lsof-F',
  'lsof',
  'netstat',
  'ss',
  'ifconfig',
  'ip-link',
  'ps',
  'traceroute',
  'rpm-qa',
  'dpkg-l',
  'dpkg-query',
  'dpkg-status',
  'apk-info',
  'apk-installed',
] as const;
export type ParseFormat = (typeof parseFormats)[number];

/** What each format's rows are, for reasons such as "a routing table, not a socket table". */
export const formatContents: Record<ParseFormat, string> = {
  'lsof-F': 'lsof -F output',
  lsof: 'a socket table',
  netstat: 'a socket table',
  ss: 'a socket table',
  ifconfig: 'an interface list',
  'ip-link': 'an interface list',
  ps: 'a process table',
  traceroute: 'traceroute output',
  'rpm-qa': 'an rpm package list',
  'dpkg-l': 'a dpkg -l package list',
  'dpkg-query': 'a dpkg-query package list',
  'dpkg-status': 'a dpkg status file',
  'apk-info': 'an apk package list',
  'apk-installed': 'an apk installed database',
};
