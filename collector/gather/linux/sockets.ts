// Sockets from the kernel's tables, tied to the process that holds each one.
import type { Container, ProcessRow, SocketRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import { parseProcNetSockets, type InetProtocol, type KernelSocket } from './proc-net-sockets';
import { readKernelText } from './read-files';

const SOCKET_TABLES: readonly InetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'];

/**
 * TCP, UDP and raw sockets over IPv4 and IPv6 of one network namespace, from its /proc net
 * directory (`/proc/net` for our own, `/proc/PID/net` for a member's); a missing table (no IPv6) is
 * empty. null when the directory itself is gone (the member exited): that is not "no sockets".
 */
export function readKernelSockets(netDirectory: string, byteOrder: ByteOrder): KernelSocket[] | null {
  const sockets: KernelSocket[] = [];
  for (const proto of SOCKET_TABLES) {
    // The tables are plain ASCII, and latin1 decodes fastest.
    const text = readKernelText(`${netDirectory}/${proto}`, 'latin1');
    if (text === null && proto === 'tcp') return null;
    if (text !== null) sockets.push(...parseProcNetSockets(text, proto, byteOrder));
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
export function toSocketRow(
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
  return sockets.map((socket) =>
    toSocketRow(socket, socket.inode === null ? undefined : socketOwners.get(socket.inode), processesByPid, userNames, namespace),
  );
}
