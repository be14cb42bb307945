import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync, readlinkSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherLinuxSnapshot } from '../../../collector/gather/linux/index';
import { isListening, type SocketRow } from '../../../lib/schemas/snapshot';
import { runSs, type SsSocket } from './ss-output';
import { closeFromClientSide, type ClosedConnection } from './time-wait-connection';

// The gatherer must agree with `ss -tuwnap` run at the same moment: about this test's own sockets
// (address, port, state, holder) and about the whole machine's listeners. ss sees our own network
// namespace only, so the comparison takes the rows of that namespace (namespaces.test.ts does the rest).
// The gatherer leaves TIME_WAIT entries out unless asked, so ss is run with `exclude time-wait` then.

async function listen(host: string): Promise<Server> {
  const server = createServer((socket) => acceptedSockets.push(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0 }, resolve);
  });
  return server;
}

const acceptedSockets: Socket[] = [];
let tcp4Listener: Server;
let tcp6Listener: Server;
let udpSocket: UdpSocket;
let client: Socket;
/** A connection this test closed on its own side first: that end stays in TIME_WAIT for 60 s. */
let closedConnection: ClosedConnection;
const ownProcessName = readFileSync('/proc/self/comm', 'utf8').trim();
const ownNetns = Number(/\d+/.exec(readlinkSync('/proc/self/ns/net'))?.[0]);

const portOf = (server: Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  tcp4Listener = await listen('127.0.0.1');
  tcp6Listener = await listen('::1');
  udpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => udpSocket.bind(0, '127.0.0.1', resolve));
  client = await new Promise<Socket>((resolve, reject) => {
    const socket = connect(portOf(tcp4Listener), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
  // The accept callback runs on a later turn of the event loop.
  while (acceptedSockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  closedConnection = await closeFromClientSide(portOf(tcp4Listener));
});

afterAll(async () => {
  client?.destroy();
  for (const socket of acceptedSockets) socket.destroy();
  udpSocket?.close();
  await Promise.all([tcp4Listener, tcp6Listener].map((server) => new Promise((resolve) => server?.close(resolve) ?? resolve(null))));
});

/** Gathers and runs ss as close together as possible: ss starts first, the gather runs while it works. */
async function gatherWithSs(options: { includeTimeWait?: boolean } = {}): Promise<{ sockets: SocketRow[]; ssSockets: SsSocket[] }> {
  const ssRun = runSs({ filter: options.includeTimeWait ? [] : ['exclude', 'time-wait'] });
  const snapshot = await gatherLinuxSnapshot(options);
  return { sockets: (snapshot.sockets ?? []).filter((socket) => socket.netns === ownNetns), ssSockets: await ssRun };
}

/** proto, local address, local port, state: what identifies a listener on both sides. */
function listenerKey(netid: string, address: string, port: number | null, state: string | null): string {
  return `${netid} ${address} ${port} ${state}`;
}

const baseProto = (proto: string) => proto.replace(/6$/, '');
// Raw sockets have no listening state of their own; the schema counts none as listening.
const isSsListening = (socket: SsSocket) => (socket.netid === 'tcp' ? socket.state === 'LISTEN' : socket.netid === 'udp' && socket.remotePort === null);

function compareListeners(sockets: SocketRow[], ssSockets: SsSocket[]) {
  const gathered = new Set(
    sockets.filter(isListening).map((socket) => listenerKey(baseProto(socket.proto), socket.localAddress, socket.localPort, socket.state)),
  );
  const fromSs = new Set(ssSockets.filter(isSsListening).map((socket) => listenerKey(socket.netid, socket.localAddress, socket.localPort, socket.state)));
  return {
    gatheredOnly: [...gathered].filter((key) => !fromSs.has(key)).sort(),
    ssOnly: [...fromSs].filter((key) => !gathered.has(key)).sort(),
    count: gathered.size,
  };
}

/** Where ss names the holders of a listener, the gatherer names one of them, and names none where ss does not. */
function compareListenerHolders(sockets: SocketRow[], ssSockets: SsSocket[]): string[] {
  const ssByKey = new Map(
    ssSockets.filter(isSsListening).map((socket) => [listenerKey(socket.netid, socket.localAddress, socket.localPort, socket.state), socket]),
  );
  const disagreements: string[] = [];
  for (const socket of sockets.filter(isListening)) {
    const key = listenerKey(baseProto(socket.proto), socket.localAddress, socket.localPort, socket.state);
    const ssSocket = ssByKey.get(key);
    if (ssSocket === undefined) continue;
    const ssPids = ssSocket.holders.map((holder) => holder.pid);
    const agrees = socket.pid === null ? ssPids.length === 0 : ssPids.includes(socket.pid);
    if (!agrees) disagreements.push(`${key}: gatherer pid ${socket.pid}, ss pids [${ssPids.join(',')}]`);
  }
  return disagreements;
}

describe('native gathering agrees with ss -tunap', () => {
  it("reports this test's own sockets exactly as ss does, held by this process", async () => {
    const { sockets, ssSockets } = await gatherWithSs();
    const tcp4Port = portOf(tcp4Listener);
    const clientPort = client.localPort ?? -1;
    const expected = [
      { proto: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: tcp4Port, remoteAddress: '0.0.0.0', remotePort: null, state: 'LISTEN' },
      { proto: 'tcp6', family: 6, localAddress: '::1', localPort: portOf(tcp6Listener), remoteAddress: '::', remotePort: null, state: 'LISTEN' },
      { proto: 'udp', family: 4, localAddress: '127.0.0.1', localPort: udpSocket.address().port, remoteAddress: '0.0.0.0', remotePort: null, state: null },
      { proto: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: clientPort, remoteAddress: '127.0.0.1', remotePort: tcp4Port, state: 'ESTABLISHED' },
      { proto: 'tcp', family: 4, localAddress: '127.0.0.1', localPort: tcp4Port, remoteAddress: '127.0.0.1', remotePort: clientPort, state: 'ESTABLISHED' },
    ] as const;

    for (const own of expected) {
      const gathered = sockets.filter(
        (socket) =>
          socket.proto === own.proto &&
          socket.localAddress === own.localAddress &&
          socket.localPort === own.localPort &&
          socket.remotePort === own.remotePort &&
          socket.state === own.state,
      );
      expect(gathered, `gatherer: ${JSON.stringify(own)}`).toHaveLength(1);
      expect(gathered[0]).toMatchObject({ remoteAddress: own.remoteAddress, pid: process.pid, process: ownProcessName });

      const fromSs = ssSockets.filter(
        (socket) =>
          socket.netid === baseProto(own.proto) &&
          socket.family === own.family &&
          socket.localAddress === own.localAddress &&
          socket.localPort === own.localPort &&
          socket.remotePort === own.remotePort &&
          socket.state === own.state,
      );
      expect(fromSs, `ss: ${JSON.stringify(own)}`).toHaveLength(1);
      expect(fromSs[0]?.remoteAddress).toBe(own.remoteAddress);
      expect(fromSs[0]?.holders).toEqual([{ process: ownProcessName, pid: process.pid }]);
    }
  });

  it('lists the same listening sockets as ss for the whole machine, with the same holders', async () => {
    // Sockets may open or close between the two reads, so one disagreement earns one more look.
    let { sockets, ssSockets } = await gatherWithSs();
    let listeners = compareListeners(sockets, ssSockets);
    let holders = compareListenerHolders(sockets, ssSockets);
    if (listeners.gatheredOnly.length + listeners.ssOnly.length + holders.length > 0) {
      ({ sockets, ssSockets } = await gatherWithSs());
      listeners = compareListeners(sockets, ssSockets);
      holders = compareListenerHolders(sockets, ssSockets);
    }
    expect(listeners.count).toBeGreaterThanOrEqual(3);
    expect({ gatheredOnly: listeners.gatheredOnly, ssOnly: listeners.ssOnly }).toEqual({ gatheredOnly: [], ssOnly: [] });
    expect(holders).toEqual([]);
  });

  it('lists the same sockets as ss in every state but TIME_WAIT, established and closing ones included', async () => {
    expect(await differenceFromSs({})).toEqual({ gatheredOnly: [], ssOnly: [] });
  });

  it('lists the same sockets as ss in every state, TIME_WAIT included, when asked for TIME_WAIT entries', async () => {
    expect(await differenceFromSs({ includeTimeWait: true })).toEqual({ gatheredOnly: [], ssOnly: [] });
  });
});

/** Sockets only one side lists; short-lived connections come and go between the two reads, so a few looks are allowed. */
async function differenceFromSs(options: { includeTimeWait?: boolean }): Promise<{ gatheredOnly: string[]; ssOnly: string[] }> {
  const socketKey = (netid: string, local: string, localPort: number | null, remote: string, remotePort: number | null, state: string | null) =>
    `${netid} ${local}:${localPort} ${remote}:${remotePort} ${state}`;
  let difference = { gatheredOnly: [] as string[], ssOnly: [] as string[] };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { sockets, ssSockets } = await gatherWithSs(options);
    const gathered = new Set(
      sockets.map((row) => socketKey(baseProto(row.proto), row.localAddress, row.localPort, row.remoteAddress ?? '', row.remotePort, row.state)),
    );
    const fromSs = new Set(ssSockets.map((row) => socketKey(row.netid, row.localAddress, row.localPort, row.remoteAddress, row.remotePort, row.state)));
    difference = {
      gatheredOnly: [...gathered].filter((key) => !fromSs.has(key)).sort(),
      ssOnly: [...fromSs].filter((key) => !gathered.has(key)).sort(),
    };
    if (difference.gatheredOnly.length + difference.ssOnly.length === 0) break;
  }
  return difference;
}

describe('TIME_WAIT entries', () => {
  it('leaves a connection closed on this side out by default, and lists it, held by nobody, when asked', async () => {
    const { localPort, remotePort } = closedConnection;
    const isOurs = (row: SocketRow | SsSocket) =>
      row.localAddress === '127.0.0.1' && row.localPort === localPort && row.remoteAddress === '127.0.0.1' && row.remotePort === remotePort;
    expect((await runSs({ flags: '-tuanH' })).filter(isOurs).map((row) => row.state)).toEqual(['TIME_WAIT']);

    const byDefault = await gatherLinuxSnapshot();
    expect((byDefault.sockets ?? []).filter(isOurs)).toEqual([]);
    expect((byDefault.sockets ?? []).filter((row) => row.state === 'TIME_WAIT')).toEqual([]);

    const asked = await gatherLinuxSnapshot({ includeTimeWait: true });
    expect((asked.sockets ?? []).filter(isOurs)).toEqual([
      expect.objectContaining({ proto: 'tcp', state: 'TIME_WAIT', pid: null, process: null, user: null, uid: null, inode: null, netns: ownNetns }),
    ]);
  });
});
