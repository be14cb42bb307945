// lsof's NAME for an internet file: `LOCAL` or `LOCAL->REMOTE`, each `ADDRESS:PORT` (IPv6 in brackets),
// with host and service names unless lsof ran with -n and -P.
import { type Endpoint, parseColonEndpoint } from './endpoints';
import { ParseError, quote } from './parse-error';
import type { TransportProtocol } from './socket-row';

export interface LsofAddress {
  local: Endpoint;
  remote: Endpoint | null;
}

export function parseLsofAddress(name: string, line: number, transport: TransportProtocol): LsofAddress {
  const [local, remote, ...extra] = name.split('->');
  if (local === undefined || extra.length > 0) throw new ParseError(line, `expected LOCAL or LOCAL->REMOTE, got ${quote(name)}`);
  return {
    local: parseColonEndpoint(local, line, transport),
    remote: remote === undefined ? null : parseColonEndpoint(remote, line, transport),
  };
}

/** The protocols the socket model holds; others lsof knows (SCTP, ICMP, UDPLITE) have no row. */
export function toLsofTransport(protocol: string): TransportProtocol | null {
  switch (protocol.toUpperCase()) {
    case 'TCP':
      return 'tcp';
    case 'UDP':
      return 'udp';
    case 'RAW':
      return 'raw';
    default:
      return null;
  }
}

/** lsof's own warnings, when its stderr was captured into the same file. */
export function isLsofWarning(line: string): boolean {
  return line.startsWith('lsof: ') || /^\s*Output information may be incomplete\.?\s*$/.test(line);
}

export function isInternetFileType(type: string): boolean {
  return type === 'IPv4' || type === 'IPv6';
}
