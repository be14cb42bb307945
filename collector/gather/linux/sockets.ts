// Sockets from the kernel's tables, tied to the process that holds each one.
import type { Container, ProcessRow, SocketRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import { parseProcNetSockets, type InetProtocol, type KernelSocket, type ParseProcNetOptions } from './proc-net-sockets';
import { readKernelText } from './read-files';

const SOCKET_TABLES: readonly InetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'];

/** Each table's line in /proc/net/sockstat and sockstat6. */
const SOCKSTAT_PROTOCOLS: Readonly<Record<InetProtocol, string>> = { tcp: 'TCP', tcp6: 'TCP6', udp: 'UDP', udp6: 'UDP6', raw: 'RAW', raw6: 'RAW6' };

/** /proc/net/sockstat and sockstat6: `TCP: inuse 20 orphan 0 tw 7 alloc 23 mem 248` → TCP → { inuse: 20, … }. */
export function parseSockstat(text: string): Map<string, Map<string, number>> {
  const counters = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const values = new Map<string, number>();
    const words = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/);
    for (let index = 0; index + 1 < words.length; index += 2) values.set(words[index] ?? '', Number(words[index + 1]));
    counters.set(line.slice(0, colon), values);
  }
  return counters;
}

/**
 * Tables of a namespace that may hold sockets, by its sockstat counters. Reading /proc/net/tcp or
 * tcp6 walks the kernel's whole established-socket hash (shared by every namespace; 262,144 buckets
 * on a 24 GB host, ~2 ms), whatever the namespace holds: a namespace whose counters say it has no
 * TCP socket of a family, and no TIME_WAIT entry, is spared that walk. Counters it does not print
 * (an old kernel) count as "maybe". The `tw` count matters even when TIME_WAIT entries are left
 * out: it also counts the remnants of orphans closed in FIN_WAIT2, which the table lists as
 * FIN_WAIT2 and which are kept.
 */
export function tablesWorthReading(sockstatText: string | null): InetProtocol[] {
  if (sockstatText === null) return [...SOCKET_TABLES];
  const counters = parseSockstat(sockstatText);
  const inUse = (protocol: string) => counters.get(protocol)?.get('inuse') ?? Number.NaN;
  // TIME_WAIT entries are counted per namespace for both families together.
  const timeWait = counters.get('TCP')?.get('tw') ?? Number.NaN;
  return SOCKET_TABLES.filter((proto) => {
    const count = inUse(SOCKSTAT_PROTOCOLS[proto]);
    const mayHoldTimeWait = (proto === 'tcp' || proto === 'tcp6') && !(timeWait === 0);
    return !(count === 0) || mayHoldTimeWait;
  });
}

/**
 * TCP, UDP and raw sockets over IPv4 and IPv6 of one network namespace, from its /proc net
 * directory (`/proc/net` for our own, `/proc/PID/net` for a member's); a missing table (no IPv6) is
 * empty. null when the directory itself is gone (the member exited): that is not "no sockets".
 */
export function readKernelSockets(netDirectory: string, byteOrder: ByteOrder, options: ParseProcNetOptions = {}): KernelSocket[] | null {
  const sockstat = readKernelText(`${netDirectory}/sockstat`, 'latin1');
  const sockstat6 = sockstat === null ? null : readKernelText(`${netDirectory}/sockstat6`, 'latin1');
  const tables = tablesWorthReading(sockstat === null ? null : `${sockstat}\n${sockstat6 ?? ''}`);
  const sockets: KernelSocket[] = [];
  for (const proto of tables) {
    // The tables are plain ASCII, and latin1 decodes fastest.
    const text = readKernelText(`${netDirectory}/${proto}`, 'latin1');
    // Without sockstat, a missing tcp table is the only sign that the directory is gone.
    if (text === null && sockstat === null && proto === 'tcp') return null;
    if (text !== null) sockets.push(...parseProcNetSockets(text, proto, byteOrder, options));
  }
  return sockets;
}

export function inodesOf(sockets: readonly KernelSocket[]): Set<number> {
  const inodes = new Set<number>();
  for (const socket of sockets) if (socket.inode !== null) inodes.add(socket.inode);
  return inodes;
}

/** The network namespace whose tables listed a socket, and the container that namespace belongs to (if exactly one). */
export interface NamespaceTag {
  netns: number | null;
  container: Container | null;
}

/**
 * A socket row with its holder. The user is the holding process's, as lsof shows it; with no visible
 * holder it is the uid the kernel recorded for the socket itself, and pid and process stay null.
 * Sockets without an inode (TIME_WAIT, SYN_RECV) belong to nobody, so all four stay null. The
 * container is the holder's, else the namespace's.
 */
function toSocketRow(
  socket: KernelSocket,
  ownerPid: number | undefined,
  processesByPid: ReadonlyMap<number, ProcessRow>,
  userNames: ReadonlyMap<number, string>,
  namespace: NamespaceTag,
): SocketRow {
  const owner = ownerPid === undefined ? undefined : processesByPid.get(ownerPid);
  const uid = owner !== undefined ? owner.uid : socket.inode !== null ? socket.socketUid : null;
  return {
    proto: socket.proto,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    state: socket.state,
    pid: owner?.pid ?? null,
    process: owner?.command ?? null,
    user: owner !== undefined ? owner.user : uid === null ? null : (userNames.get(uid) ?? null),
    uid,
    inode: socket.inode,
    netns: namespace.netns,
    container: owner !== undefined ? (owner.container ?? null) : namespace.container,
  };
}

export function toSocketRows(
  sockets: readonly KernelSocket[],
  socketOwners: ReadonlyMap<number, number>,
  processesByPid: ReadonlyMap<number, ProcessRow>,
  userNames: ReadonlyMap<number, string>,
  namespace: NamespaceTag,
): SocketRow[] {
  return sockets.map((socket) => toSocketRow(socket, socket.inode === null ? undefined : socketOwners.get(socket.inode), processesByPid, userNames, namespace));
}
