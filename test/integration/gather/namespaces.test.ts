import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherLinuxSnapshot, type GatheredSnapshot } from '../../../collector/gather/linux/index';
import { isListening, snapshotSchema, type SocketRow } from '../../../lib/schemas/snapshot';
import {
  assertCanCreateNamespaces,
  createStandInDockerContainer,
  ip,
  namespaceInode,
  startListener,
  stopProcess,
  type ListenerPorts,
  type StandInContainer,
} from './namespace-fixtures';
import { runSs, type SsSocket } from './ss-output';

// Two network namespaces of the test's own, each with a node process listening inside on TCP and
// UDP, v4 and v6. The snapshot must show those listeners tagged with their namespace, exactly as
// `ip netns exec NS ss -tulnp` lists them. One namespace also holds a veth end in promiscuous mode;
// the other's process sits in a cgroup named like a docker container's. Needs root and `ip netns`
// (iproute2): without them the test fails, it is never skipped. Traffic: none; only binds.

const suffix = randomBytes(3).toString('hex');
const sniffingNamespace = `ssc-sniff-${suffix}`;
const containerNamespace = `ssc-ctr-${suffix}`;
const rootEnd = `vsn${suffix}`;
const peerEnd = `vsnp${suffix}`;
const SNIFFING_PORTS: ListenerPorts = { tcp4: 8081, tcp6: 8082, udp4: 5301, udp6: 5302 };
const CONTAINER_PORTS: ListenerPorts = { tcp4: 9091, tcp6: 9092, udp4: 5401, udp6: 5402 };

const runtimeRoot = mkdtempSync(join(tmpdir(), 'sockscope-runtime-'));
const createdNamespaces: string[] = [];
const listeners: ChildProcess[] = [];
let vethCreated = false;
let container: StandInContainer | undefined;
let sniffer: ChildProcess;
let containerProcess: ChildProcess;
let snapshot: GatheredSnapshot;
// A failed setup fails every test with its message (a throwing beforeAll would report them as skipped).
let setupError: Error | undefined;

async function setUp(): Promise<void> {
  await assertCanCreateNamespaces('namespaces.test.ts');
  for (const namespace of [sniffingNamespace, containerNamespace]) {
    await ip('netns', 'add', namespace);
    createdNamespaces.push(namespace);
    await ip('-n', namespace, 'link', 'set', 'dev', 'lo', 'up');
  }
  await ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', peerEnd, 'netns', sniffingNamespace);
  vethCreated = true;
  await ip('link', 'set', 'dev', rootEnd, 'up');
  await ip('-n', sniffingNamespace, 'addr', 'add', '198.51.100.2/24', 'dev', peerEnd);
  await ip('-n', sniffingNamespace, 'link', 'set', 'dev', peerEnd, 'up', 'promisc', 'on');

  sniffer = await startListener(sniffingNamespace, SNIFFING_PORTS);
  listeners.push(sniffer);
  container = createStandInDockerContainer(runtimeRoot, 'ns-test-web');
  containerProcess = await startListener(containerNamespace, CONTAINER_PORTS);
  listeners.push(containerProcess);
  container.adopt(containerProcess.pid ?? -1);
  snapshot = await gatherLinuxSnapshot({ runtimeRoot });
}

beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error instanceof Error ? error : new Error(String(error));
  }
});

afterAll(async () => {
  // Each step runs even if another failed.
  for (const listener of listeners) await stopProcess(listener).catch(() => undefined);
  container?.remove();
  if (vethCreated) await ip('link', 'del', 'dev', rootEnd).catch(() => undefined);
  for (const namespace of createdNamespaces) await ip('netns', 'del', namespace).catch(() => undefined);
  rmSync(runtimeRoot, { recursive: true, force: true });
});

function assertSetUp(): void {
  if (setupError !== undefined) throw setupError;
}

/** proto family, address, port, state and holder pids: what identifies a listener on both sides. */
const listenerKey = (netid: string, address: string, port: number | null, state: string | null, pids: readonly number[]) =>
  `${netid} ${address}:${port} ${state} [${pids.join(',')}]`;

const listenersOf = (sockets: readonly SocketRow[], netns: number) =>
  sockets
    .filter((socket) => socket.netns === netns && isListening(socket))
    .map((socket) => listenerKey(socket.proto.replace(/6$/, ''), socket.localAddress, socket.localPort, socket.state, socket.pid === null ? [] : [socket.pid]))
    .sort();

const ssListeners = (ssSockets: readonly SsSocket[]) =>
  ssSockets
    .filter((socket) => socket.netid !== 'raw')
    .map((socket) =>
      listenerKey(
        socket.netid,
        socket.localAddress,
        socket.localPort,
        socket.state,
        socket.holders.map((holder) => holder.pid),
      ),
    )
    .sort();

describe('every network namespace on the host', () => {
  it('lists the listeners of each namespace exactly as `ip netns exec NS ss -tulnp` does, tagged with the namespace', async () => {
    assertSetUp();
    for (const namespace of [sniffingNamespace, containerNamespace]) {
      const fromSs = ssListeners(await runSs({ namespace, flags: '-tulnpH' }));
      expect(listenersOf(snapshot.sockets ?? [], namespaceInode(namespace)), namespace).toEqual(fromSs);
      expect(fromSs, namespace).toHaveLength(4);
    }
  });

  it('names the listening process, and gives each of them its namespace', () => {
    assertSetUp();
    for (const [child, namespace, ports] of [
      [sniffer, sniffingNamespace, SNIFFING_PORTS],
      [containerProcess, containerNamespace, CONTAINER_PORTS],
    ] as const) {
      const netns = namespaceInode(namespace);
      expect(snapshot.processes?.find((process) => process.pid === child.pid)).toMatchObject({ command: 'node', netns });
      const own = (snapshot.sockets ?? []).filter((socket) => socket.pid === child.pid);
      expect(own.map((socket) => `${socket.proto} ${socket.localAddress}:${socket.localPort}`).sort()).toEqual(
        [`tcp 127.0.0.1:${ports.tcp4}`, `tcp6 ::1:${ports.tcp6}`, `udp 0.0.0.0:${ports.udp4}`, `udp6 :::${ports.udp6}`].sort(),
      );
      expect(own.every((socket) => socket.netns === netns && socket.process === 'node')).toBe(true);
    }
  });

  it("reports a promiscuous interface inside a namespace, with the namespace's addresses, and its peer on the host as it is", () => {
    assertSetUp();
    const netns = namespaceInode(sniffingNamespace);
    const inside = snapshot.interfaces?.filter((row) => row.netns === netns) ?? [];
    expect(inside.map((row) => row.name)).toEqual(['lo', peerEnd]);
    expect(inside[1]).toMatchObject({ promiscuous: true, container: null });
    expect(inside[1]?.flags).toEqual(expect.arrayContaining(['UP', 'PROMISC']));
    expect(inside[1]?.addresses).toContain('198.51.100.2/24');
    expect(inside[0]?.addresses).toEqual(['127.0.0.1/8', '::1/128']);
    expect(snapshot.interfaces?.find((row) => row.name === rootEnd)).toMatchObject({ netns: snapshot.host.netns, promiscuous: false });
  });

  it("tags the container's process, its sockets and its namespace's interfaces with the container", () => {
    assertSetUp();
    const tag = { runtime: 'docker', id: container?.id, name: 'ns-test-web' };
    const netns = namespaceInode(containerNamespace);
    expect(snapshot.processes?.find((process) => process.pid === containerProcess.pid)?.container).toEqual(tag);
    const sockets = (snapshot.sockets ?? []).filter((socket) => socket.netns === netns);
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    expect(sockets.every((socket) => JSON.stringify(socket.container) === JSON.stringify(tag))).toBe(true);
    expect(snapshot.interfaces?.filter((row) => row.netns === netns).map((row) => [row.name, row.container])).toEqual([['lo', tag]]);
  });

  it('leaves the host namespace untagged and produces a snapshot the schema accepts', () => {
    assertSetUp();
    const hostRows = [...(snapshot.sockets ?? []), ...(snapshot.interfaces ?? [])].filter((row) => row.netns === snapshot.host.netns);
    expect(hostRows.length).toBeGreaterThan(0);
    expect(hostRows.every((row) => row.container === null)).toBe(true);
    const result = snapshotSchema.safeParse({ ...snapshot, version: 1, collectedAt: new Date().toISOString(), idempotencyKey: 'namespaces-test-1' });
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
