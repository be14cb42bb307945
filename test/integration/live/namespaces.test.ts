// Every listener on the host, namespaces included, end to end: a process listening inside a network
// namespace of the test's own reaches the dashboard's data through the built-in collector, tagged
// with its namespace; the fleet search for listeners "in any container or namespace" finds it and
// the host's own listeners not; its opening is an alert that says where it is.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { connectRecordingClient, type RecordingClient } from '@/test/helpers/realtime-client';
import { waitFor } from '@/test/helpers/wait-for';
import { assertCanCreateNamespaces, ip, namespaceInode, startListener } from '@/test/integration/gather/namespace-fixtures';

const PORTS = { tcp4: 18_081, tcp6: 18_082, udp4: 18_083, udp6: 18_084 };
let server: AppServer;
let session: { cookie: string };
let client: RecordingClient;
let namespace: string;
let listenerProcess: ChildProcess | null = null;

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface ListenerMatch {
  host: string;
  proto: string;
  localPort: number;
  netns: number | null;
}

beforeAll(async () => {
  await assertCanCreateNamespaces('namespaces.test.ts');
  namespace = `ssc-live-${Math.random().toString(16).slice(2, 8)}`;
  await ip('netns', 'add', namespace);
  await ip('-n', namespace, 'link', 'set', 'lo', 'up');
  server = await startAppServer({ env: { SOCKSCOPE_LOCAL_COLLECTOR: '1', SOCKSCOPE_LOCAL_INTERVAL: '1' } });
  session = await signInAsAdmin(server);
  client = await connectRecordingClient(server, session.cookie);
  // A baseline first: no listener alerts come from a host's first snapshot.
  await client.waitFor((event) => event.event === 'snapshot', 30_000);
  await client.waitFor((event) => event.event === 'snapshot' && client.events.filter((seen) => seen.event === 'snapshot').length >= 2, 30_000);
}, 120_000);

afterAll(async () => {
  listenerProcess?.kill();
  client?.close();
  await server?.dispose();
  if (namespace) await ip('netns', 'del', namespace).catch(() => undefined);
});

describe('listeners in network namespaces', () => {
  it('shows a listener in a namespace tagged with it, finds it among "in any container", and alerts naming it', async () => {
    listenerProcess = await startListener(namespace, PORTS);
    const inode = namespaceInode(namespace);
    let found: ListenerMatch[] = [];
    await waitFor(
      "the namespace's listener in the fleet search",
      async () => {
        found = (await get<{ rows: ListenerMatch[] }>(`/api/v1/search/listeners?port=${PORTS.tcp4}&namespace=any`)).rows;
        return found.length > 0;
      },
      30_000,
      250,
    );
    expect(found).toEqual([expect.objectContaining({ proto: 'tcp', localPort: PORTS.tcp4, netns: inode })]);
    // Every protocol and family, each with its namespace.
    for (const port of [PORTS.tcp6, PORTS.udp4, PORTS.udp6]) {
      const rows = (await get<{ rows: ListenerMatch[] }>(`/api/v1/search/listeners?port=${port}&namespace=any`)).rows;
      expect(
        rows.map((row) => row.netns),
        `port ${port}`,
      ).toEqual([inode]);
    }
    expect((await get<{ rows: ListenerMatch[] }>(`/api/v1/search/listeners?port=${PORTS.tcp4}&namespace=none`)).rows).toEqual([]);

    const alert = await client.waitFor(
      (event) => event.event === 'alert' && event.payload.kind === 'listener.opened' && String(event.payload.message).includes(`:${PORTS.tcp4}`),
      30_000,
    );
    expect(alert.payload.subject).toMatchObject({ localPort: PORTS.tcp4, netns: inode });
  }, 120_000);
});
