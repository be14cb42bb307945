// Sockets from the kernel's tables, tied to the process that holds each one.
import type { ProcessRow, SocketRow } from '../../../lib/schemas/snapshot';
import type { ByteOrder } from './addresses';
import { parseProcNetSockets, type InetProtocol, type KernelSocket } from './proc-net-sockets';
import { readKernelText } from './read-files';

const SOCKET_TABLES: readonly InetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/** TCP and UDP over IPv4 and IPv6 as this process's network namespace sees them; a missing table (no IPv6) is empty. */
export function readKernelSockets(procRoot: string, byteOrder: ByteOrder): KernelSocket[] {
  return SOCKET_TABLES.flatMap((proto) => {
    // The tables are plain ASCII, and latin1 decodes fastest.
    const text = readKernelText(`${procRoot}/net/${proto}`, 'latin1');
    return text === null ? [] : parseProcNetSockets(text, proto, byteOrder);
  });
}

export function inodesOf(sockets: readonly KernelSocket[]): Set<number> {
  const inodes = new Set<number>();
  for (const socket of sockets) if (socket.inode !== null) inodes.add(socket.inode);
  return inodes;
}

/**
 * A socket row with its holder. The user is the holding process's, as lsof shows it; with no visible
 * holder it is the uid the kernel recorded for the socket itself, and pid and process stay null.
 * Sockets without an inode (TIME_WAIT, SYN_RECV) belong to nobody, so all four stay null.
 */
export function toSocketRow(
  socket: KernelSocket,
  ownerPid: number | undefined,
  processesByPid: ReadonlyMap<number, ProcessRow>,
  userNames: ReadonlyMap<number, string>,
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
  };
}

export function toSocketRows(
  sockets: readonly KernelSocket[],
  socketOwners: ReadonlyMap<number, number>,
  processes: readonly ProcessRow[],
  userNames: ReadonlyMap<number, string>,
): SocketRow[] {
  const processesByPid = new Map(processes.map((process) => [process.pid, process]));
  return sockets.map((socket) =>
    toSocketRow(socket, socket.inode === null ? undefined : socketOwners.get(socket.inode), processesByPid, userNames),
  );
}
