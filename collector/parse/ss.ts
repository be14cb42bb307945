// `ss -tulpn`, `ss -tuanp` and friends, with or without the header (-H) and the Netid column:
//   Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process
//   tcp   LISTEN 0     128    0.0.0.0:22          0.0.0.0:*         users:(("sshd",pid=671,fd=3))
// States are written the kernel's way (ESTAB → ESTABLISHED), as netstat and the snapshot schema do.
// Without -n, ss prints service names (`127.0.0.1:smtp`, `*:ipv6-icmp`); with -r, host names too.
import type { SocketRow } from '../../lib/schemas/snapshot';
import { MAX_SOCKETS } from '../../lib/schemas/snapshot';
import { checkCount } from './check-rows';
import { foreignTableError, requireRows } from './empty-result';
import { type Endpoint, parseColonEndpoint } from './endpoints';
import { parseCount, parsePid, parseUid } from './numbers';
import { ParseError, quote } from './parse-error';
import { endpointFields, makeSocketRow, type TransportProtocol, toSocketProtocol } from './socket-row';
import { isBlank, restOfLine, splitLines, splitWordsWithOffsets, type Word } from './text-lines';

const INTERNET_NETIDS = new Map<string, { transport: TransportProtocol; isIpv6?: boolean }>([
  ['tcp', { transport: 'tcp' }],
  ['udp', { transport: 'udp' }],
  ['raw', { transport: 'raw' }],
  ['icmp6', { transport: 'raw', isIpv6: true }],
]);
/** UNIX, netlink, packet, vsock and protocols the socket model does not hold. */
const SKIPPED_NETIDS = new Set([...['u_str', 'u_dgr', 'u_seq', 'nl', 'p_raw', 'p_dgr', 'v_str', 'v_dgr', 'tipc', 'xdp'], ...['sctp', 'dccp', 'mptcp', '???']]);

const KERNEL_STATE_NAMES = new Map<string, string>([
  ['ESTAB', 'ESTABLISHED'],
  ['SYN-SENT', 'SYN_SENT'],
  ['SYN-RECV', 'SYN_RECV'],
  ['FIN-WAIT-1', 'FIN_WAIT1'],
  ['FIN-WAIT-2', 'FIN_WAIT2'],
  ['TIME-WAIT', 'TIME_WAIT'],
  ['UNCONN', 'CLOSE'],
  ['CLOSE-WAIT', 'CLOSE_WAIT'],
  ['LAST-ACK', 'LAST_ACK'],
  ['LISTEN', 'LISTEN'],
  ['CLOSING', 'CLOSING'],
  ['UNKNOWN', 'UNKNOWN'],
]);
/** States only TCP has: without a Netid column they still tell the protocol. */
const TCP_ONLY_STATES = new Set([...['SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT'], ...['CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING']]);

interface SsLine {
  transport: TransportProtocol;
  isIpv6: boolean | undefined;
  ssState: string | null;
  local: Endpoint;
  peer: Endpoint;
  details: string;
}

export function parseSs(text: string): SocketRow[] {
  const lines = splitLines(text);
  // Before iproute2 4.x, ss wrote "any" as `*:22` for IPv4 and IPv6 unbracketed (`:::22`); since, `*` is a dual-stack IPv6 socket.
  const isOldStyle = lines.some((line) => /\s:::?[\d*]/.test(line) || /\s::ffff:\d/.test(line));
  const rows: SocketRow[] = [];
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    // ss's own netlink complaint (`RTNETLINK answers: Invalid argument`) when stderr went to the same file.
    if (isBlank(line) || isHeader(line) || /^RTNETLINK answers: /.test(line)) return;
    const parsed = parseLine(line, lineNumber);
    if (parsed === null) return;
    rows.push(toRow(parsed, isOldStyle, lineNumber));
    checkCount(rows.length, MAX_SOCKETS, 'sockets', lineNumber);
  });
  return requireRows(rows, text, 'ss', 'no internet sockets in this ss output (only headers, or UNIX, netlink and packet sockets)');
}

function isHeader(line: string): boolean {
  return /^\s*(Netid|State|Recv-Q)\s/.test(line) && line.includes('Local Address');
}

function parseLine(line: string, lineNumber: number): SsLine | null {
  const words = splitWordsWithOffsets(line);
  let next = 0;
  const first = words[0]?.text ?? '';
  if (SKIPPED_NETIDS.has(first)) return null;
  const netid = INTERNET_NETIDS.get(first);
  if (netid !== undefined) next++;
  const stateWord = words[next]?.text ?? '';
  const ssState = KERNEL_STATE_NAMES.has(stateWord) ? stateWord : null;
  if (ssState !== null) next++;
  else if (!/^\d+$/.test(stateWord)) {
    throw foreignTableError(line, lineNumber, 'ss') ?? new ParseError(lineNumber, `expected a Netid (tcp, udp) or a state, got ${quote(stateWord)}`);
  }
  const [recvQ, sendQ, local, peer] = words.slice(next, next + 4);
  if (recvQ === undefined || sendQ === undefined || local === undefined || peer === undefined) {
    throw new ParseError(lineNumber, `expected "[NETID] STATE RECV-Q SEND-Q LOCAL:PORT PEER:PORT", got ${words.length} columns`);
  }
  parseCount(recvQ.text, 'Recv-Q', lineNumber);
  parseCount(sendQ.text, 'Send-Q', lineNumber);
  const transport = netid?.transport ?? transportFromState(ssState, lineNumber);
  const detailsWord: Word | undefined = words[next + 4];
  return {
    transport,
    isIpv6: netid?.isIpv6,
    ssState,
    local: parseColonEndpoint(local.text, lineNumber, transport),
    peer: parseColonEndpoint(peer.text, lineNumber, transport),
    details: detailsWord === undefined ? '' : restOfLine(line, detailsWord),
  };
}

function transportFromState(ssState: string | null, lineNumber: number): TransportProtocol {
  if (ssState !== null && TCP_ONLY_STATES.has(ssState)) return 'tcp';
  throw new ParseError(lineNumber, 'cannot tell TCP from UDP without the Netid column (run ss with both -t and -u)');
}

function toRow(parsed: SsLine, isOldStyle: boolean, lineNumber: number): SocketRow {
  // With -r a local host name does not tell the family; the peer (`[::]:*`, `0.0.0.0:*`) usually does.
  const familyEndpoint = parsed.local.addressKind === 'name' ? parsed.peer : parsed.local;
  const isIpv6 = parsed.isIpv6 ?? isIpv6Endpoint(familyEndpoint, isOldStyle);
  return makeSocketRow(
    {
      proto: toSocketProtocol(parsed.transport, isIpv6),
      ...endpointFields(parsed.local, parsed.peer),
      state: toKernelState(parsed.ssState, parsed.transport),
      ...parseDetails(parsed.details, lineNumber),
    },
    lineNumber,
  );
}

function isIpv6Endpoint(endpoint: Endpoint, isOldStyle: boolean): boolean {
  if (endpoint.address === '*' || endpoint.address.startsWith('*%')) return !isOldStyle;
  return endpoint.isBracketed || (endpoint.addressKind !== 'name' && endpoint.address.includes(':'));
}

/** ss says UNCONN for a socket with no TCP state: for UDP and raw that is "no state" (null), as netstat shows it. */
function toKernelState(ssState: string | null, transport: TransportProtocol): string | null {
  if (ssState === null) return null;
  if (ssState === 'UNCONN' && transport !== 'tcp') return null;
  return KERNEL_STATE_NAMES.get(ssState) ?? null;
}

/** The first user owns the socket (`("sshd",pid=671,fd=3)`, before iproute2 4.x `("sshd",671,3)`); `-e` adds `uid:` and `ino:`. */
function parseDetails(details: string, lineNumber: number): Pick<SocketRow, 'pid' | 'process' | 'uid' | 'inode'> {
  const owner = /^users:\(\("(.*?)",(?:pid=)?(\d+),/s.exec(details);
  if (details.startsWith('users:(') && owner === null) {
    throw new ParseError(lineNumber, `expected users:(("NAME",pid=PID,fd=FD)), got ${quote(details)}`);
  }
  const inodeText = /(?:^|\s)ino:(\d+)/.exec(details)?.[1];
  const uidText = /(?:^|\s)uid:(\d+)/.exec(details)?.[1];
  // ino:0 is a socket with no owner left (TIME-WAIT); otherwise -e leaves uid out only for root.
  const inode = inodeText === undefined ? null : parseCount(inodeText, 'inode', lineNumber) || null;
  return {
    process: owner?.[1] ?? null,
    pid: owner?.[2] === undefined ? null : parsePid(owner[2], lineNumber),
    inode,
    uid: uidText !== undefined ? parseUid(uidText, lineNumber) : inode !== null ? 0 : null,
  };
}
