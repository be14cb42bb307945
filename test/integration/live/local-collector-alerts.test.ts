// The product's promise, on this machine's real sockets and interfaces: the built-in collector
// reports every second; a listener opened here and a veth turned promiscuous become alerts that
// reach a connected dashboard client live — and a remote syslog receiver and a webhook; the
// traceroute targets it is given reach the host's latency chart.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { createVethPair, type VethPair } from '@/test/helpers/netns';
import { connectRecordingClient, type RecordingClient } from '@/test/helpers/realtime-client';

const INTERVAL_SECONDS = 1;
let server: AppServer;
let session: { cookie: string; csrfToken: string };
let client: RecordingClient;
let syslog: UdpSocket;
const syslogMessages: string[] = [];
let webhook: HttpServer;
const webhookBodies: { alert: { kind: string; level: number } }[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  syslog = createSocket('udp4');
  syslog.on('message', (message) => syslogMessages.push(message.toString()));
  await new Promise<void>((resolve) => syslog.bind(0, '127.0.0.1', resolve));
  webhook = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      webhookBodies.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));

  server = await startAppServer({
    env: {
      SOCKSCOPE_LOCAL_COLLECTOR: '1',
      SOCKSCOPE_LOCAL_INTERVAL: String(INTERVAL_SECONDS),
      // Loopback only: the one target a test may trace.
      SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS: '127.0.0.1',
      SOCKSCOPE_SYSLOG: `udp://127.0.0.1:${syslog.address().port}`,
      SOCKSCOPE_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`,
    },
  });
  session = await signInAsAdmin(server);
  client = await connectRecordingClient(server, session.cookie);
  // No listener alerts come from a host's first snapshot: wait until this machine has a baseline.
  await client.waitFor((event) => event.event === 'snapshot', 20_000);
  await client.waitFor((event) => event.event === 'snapshot' && client.events.filter((e) => e.event === 'snapshot').length >= 2, 20_000);
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  client?.close();
  await server?.dispose();
  syslog?.close();
  webhook?.close();
});

describe('alerts from this machine, live', () => {
  it('reports a listener opened here as a level-10 alert within one collector interval', async () => {
    const listenerServer: TcpServer = createTcpServer();
    await new Promise<void>((resolve) => listenerServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => listenerServer.close());
    const port = (listenerServer.address() as AddressInfo).port;
    const openedAt = Date.now();

    const event = await client.waitFor(
      (e) => e.event === 'alert' && e.payload.kind === 'listener.opened' && String(e.payload.message).includes(`:${port}`),
      15_000,
    );
    expect(event.payload.level).toBe(10);
    // One interval to be collected, plus the time to gather and store: well under three intervals.
    expect(event.at - openedAt).toBeLessThan(3 * INTERVAL_SECONDS * 1000 + 2000);
    await expect.poll(() => syslogMessages.some((line) => line.includes('listener.opened') && line.includes(`:${port}`)), { timeout: 5000 }).toBe(true);
  });

  it('raises a level-12 alert when a veth in a test namespace turns promiscuous, forwarded to syslog and webhook', async () => {
    const veth: VethPair = createVethPair('ssi');
    cleanups.push(() => veth.remove());
    // Let the collector see the new interface first (not yet promiscuous).
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_SECONDS * 1000));
    veth.setPromiscuous(true);

    const event = await client.waitFor(
      (e) => e.event === 'alert' && e.payload.kind === 'interface.promiscuous_on' && String(e.payload.message).includes(veth.rootEnd),
      15_000,
    );
    expect(event.payload.level).toBe(12);
    await expect.poll(() => syslogMessages.some((line) => line.startsWith('<106>1 ') && line.includes(veth.rootEnd)), { timeout: 5000 }).toBe(true);
    await expect
      .poll(() => webhookBodies.some((body) => body.alert.kind === 'interface.promiscuous_on' && body.alert.level === 12), { timeout: 5000 })
      .toBe(true);
  });

  it("traces the targets SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS gives it, into the host's latency series", async () => {
    const get = async (path: string) => {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
      expect(response.status, path).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const { hosts } = (await get('/api/v1/hosts')) as { hosts: { name: string; labels: string[] }[] };
    const thisMachine = hosts.find((host) => host.labels.includes('local'));
    expect(thisMachine).toBeDefined();
    const latencyPath = `/api/v1/hosts/${encodeURIComponent(thisMachine!.name)}/latency?target=127.0.0.1`;
    await expect.poll(async () => ((await get(latencyPath)) as { runs: unknown[] }).runs.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const series = (await get(latencyPath)) as { targets: string[]; runs: { hops: { hop: number }[] }[] };
    expect(series.targets).toEqual(['127.0.0.1']);
    // Loopback is one hop away.
    expect(series.runs[0]?.hops.map((hop) => hop.hop)).toEqual([1]);
  });
});
