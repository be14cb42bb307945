import { readdirSync, readFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStatusEffectiveUid } from '../../../collector/gather/linux/proc-pid';
import { parseProcNetSockets } from '../../../collector/gather/linux/proc-net-sockets';
import { listProcessIds, socketInodeOfLink } from '../../../collector/gather/linux/scan-processes';
import { readKernelText, readLink, readOwnerUid } from '../../../collector/gather/linux/read-files';

// The gatherer takes two shortcuts through /proc for speed; these tests hold them to the long way.

describe('uid from the owner of /proc/PID', () => {
  it('equals the effective uid in the Uid line of /proc/PID/status for every process', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const pid of listProcessIds('/proc')) {
      const ownerUid = readOwnerUid(`/proc/${pid}`);
      const statusText = readKernelText(`/proc/${pid}/status`);
      if (ownerUid === null || statusText === null) continue;
      compared += 1;
      const statusUid = parseStatusEffectiveUid(statusText);
      if (statusUid !== ownerUid) disagreements.push(`${pid}: owner ${ownerUid}, status ${statusUid}`);
    }
    expect(compared).toBeGreaterThan(10);
    expect(disagreements).toEqual([]);
  });
});

describe('reading a socket table without the extra read that finds EOF', () => {
  const CONNECTIONS = 700;
  const accepted: Socket[] = [];
  const clients: Socket[] = [];
  let server: Server;

  beforeAll(async () => {
    server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0, backlog: CONNECTIONS }, resolve));
    const port = (server.address() as AddressInfo).port;
    for (let index = 0; index < CONNECTIONS; index += 1) {
      clients.push(
        await new Promise<Socket>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        }),
      );
    }
    while (accepted.length < CONNECTIONS) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  afterAll(async () => {
    for (const socket of [...clients, ...accepted]) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('still sees every socket of a table that spans many pages', () => {
    // This process's sockets, by inode: other processes' connections may reuse a port number.
    const ownInodes = new Set(
      readdirSync('/proc/self/fd').flatMap((descriptor) => {
        const inode = socketInodeOfLink(readLink(`/proc/self/fd/${descriptor}`) ?? '');
        return inode === null ? [] : [inode];
      }),
    );
    const ownSocketInodes = (text: string) =>
      new Set(parseProcNetSockets(text, 'tcp', 'LE').flatMap((socket) => (socket.inode !== null && ownInodes.has(socket.inode) ? [socket.inode] : [])));

    const shortcut = readKernelText('/proc/net/tcp', 'latin1') ?? '';
    const readToEnd = readFileSync('/proc/net/tcp', 'latin1');
    expect(shortcut.length).toBeGreaterThan(40 * 4096);
    expect(shortcut.endsWith('\n')).toBe(true);
    // The listener, each client and each accepted end.
    expect(ownSocketInodes(shortcut).size).toBeGreaterThanOrEqual(1 + 2 * CONNECTIONS);
    expect(ownSocketInodes(shortcut)).toEqual(ownSocketInodes(readToEnd));
  });
});
