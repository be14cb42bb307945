// Diffs by meaning and alerts at ingest, through the real server: the OSPatrol netstat example,
// opened listeners, baselines, triage — each pushed live to a connected socket.io client.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNetstat } from '@/collector/parse/netstat';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { connectRecordingClient, type RecordingClient } from '@/test/helpers/realtime-client';
import { listener, makeSnapshot, postAcceptedSnapshot, postSnapshot } from '@/test/helpers/snapshots';

let server: AppServer;
let session: { cookie: string; csrfToken: string };
let client: RecordingClient;

beforeAll(async () => {
  server = await startAppServer();
  session = await signInAsAdmin(server);
  client = await connectRecordingClient(server, session.cookie);
});
afterAll(async () => {
  client?.close();
  await server?.dispose();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer of any shape: the tests' assertions check it.
const get = async (path: string) => (await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } })).json() as Promise<Record<string, any>>;
const send = (path: string, method: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('diff by meaning', () => {
  it('finds exactly one change in the OSPatrol netstat example: tcp6 *.22 closed', async () => {
    const token = await enrollTestHost(server, session, 'arrakis');
    const previous = parseNetstat(readFileSync('test/unit/diff/fixtures/bsd-netstat-listen-previous.txt', 'utf8'));
    const current = parseNetstat(readFileSync('test/unit/diff/fixtures/bsd-netstat-listen-current.txt', 'utf8'));
    const fromId = await postAcceptedSnapshot(server.url, token, makeSnapshot('arrakis', { sockets: previous, processes: undefined, interfaces: undefined }));
    const toId = await postAcceptedSnapshot(server.url, token, makeSnapshot('arrakis', { sockets: current, processes: undefined, interfaces: undefined }));

    const diff = await get(`/api/v1/hosts/arrakis/diff?from=${fromId}&to=${toId}`);
    expect(diff.sockets.added).toEqual([]);
    expect(diff.sockets.changed).toEqual([]);
    expect(diff.sockets.removed).toHaveLength(1);
    expect(diff.sockets.removed[0]).toMatchObject({ proto: 'tcp6', localAddress: '*', localPort: 22, state: 'LISTEN' });

    // The same lines in another order: nothing changed, nothing stored anew.
    const reordered = makeSnapshot('arrakis', { sockets: [...current].reverse(), processes: undefined, interfaces: undefined });
    const response = await postSnapshot(server.url, token, reordered);
    expect(((await response.json()) as { changed: Record<string, boolean> }).changed).toEqual({ sockets: false });
    const none = await get(`/api/v1/hosts/arrakis/diff?from=${toId}&to=${((await get('/api/v1/hosts/arrakis')) as { snapshotId: string }).snapshotId}`);
    expect(none.summary.sockets).toEqual({ added: 0, removed: 0, changed: 0 });

    // The closed listener raised an alert that names it.
    const alerts = (await get('/api/v1/alerts?host=arrakis')).alerts as { kind: string; subject: Record<string, unknown> }[];
    expect(alerts.map((alert) => alert.kind)).toEqual(['listener.closed']);
  });

  it('rejects a diff between snapshots of different hosts', async () => {
    const tokenA = await enrollTestHost(server, session, 'host-a');
    const tokenB = await enrollTestHost(server, session, 'host-b');
    const a = await postAcceptedSnapshot(server.url, tokenA, makeSnapshot('host-a'));
    const b = await postAcceptedSnapshot(server.url, tokenB, makeSnapshot('host-b'));
    const response = await fetch(`${server.url}/api/v1/hosts/host-a/diff?from=${a}&to=${b}`, { headers: { cookie: session.cookie } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe('to');
  });
});

describe('alerts at ingest', () => {
  it('raises a level-10 alert for a new listener and pushes it live; a repeat updates the same alert', async () => {
    const token = await enrollTestHost(server, session, 'web-01');
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'sshd')] }));
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(4444, 'nc')] }));
    const event = await client.waitFor((e) => e.event === 'alert' && e.payload.host === 'web-01' && e.payload.kind === 'listener.opened');
    expect(event.payload).toMatchObject({ level: 10, state: 'open' });
    expect(String(event.payload.message)).toContain('4444');
    // A dashboard adds the live alert as a full row: when it was first seen and which snapshot raised it.
    const [listed] = (await get('/api/v1/alerts?host=web-01&kind=listener.opened')).alerts as { firstSeenAt: string; snapshotId: string }[];
    expect(event.payload).toMatchObject({ firstSeenAt: listed?.firstSeenAt, snapshotId: listed?.snapshotId });

    // Closed and opened again: still one live alert for that listener, seen twice.
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'sshd')] }));
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(4444, 'nc')] }));
    const opened = (await get('/api/v1/alerts?host=web-01&kind=listener.opened')).alerts as { occurrences: number }[];
    expect(opened).toHaveLength(1);
    expect(opened[0]?.occurrences).toBe(2);
  });

  it('raises no alert for a baselined listener, though the diff still shows it', async () => {
    const token = await enrollTestHost(server, session, 'web-02');
    const baseline = await send('/api/v1/baselines', 'POST', { host: 'web-02', port: 9443, proto: 'tcp', note: 'the admin UI' });
    expect(baseline.status).toBe(201);
    const first = await postAcceptedSnapshot(server.url, token, makeSnapshot('web-02', { sockets: [listener(22, 'sshd')] }));
    const second = await postAcceptedSnapshot(server.url, token, makeSnapshot('web-02', { sockets: [listener(22, 'sshd'), listener(9443, 'java')] }));
    const diff = await get(`/api/v1/hosts/web-02/diff?from=${first}&to=${second}`);
    expect(diff.sockets.added.map((row: { localPort: number }) => row.localPort)).toEqual([9443]);
    expect((await get('/api/v1/alerts?host=web-02')).alerts).toEqual([]);
  });

  it('lets an analyst acknowledge, annotate and reopen, each in the audit log and pushed live', async () => {
    const token = await enrollTestHost(server, session, 'web-03');
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-03', { sockets: [listener(22, 'sshd')] }));
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-03', { sockets: [listener(22, 'sshd'), listener(6667, 'ircd')] }));
    const [alert] = (await get('/api/v1/alerts?host=web-03')).alerts as { id: number }[];
    expect(alert).toBeDefined();

    const ack = await send(`/api/v1/alerts/${alert!.id}`, 'POST', { action: 'acknowledge', note: 'known IRC bouncer' });
    expect(ack.status).toBe(200);
    const pushed = await client.waitFor((e) => e.event === 'alert:ack' && e.payload.id === alert!.id);
    expect(pushed.payload).toMatchObject({ state: 'acknowledged', by: 'admin', note: 'known IRC bouncer' });
    expect(pushed.payload.acknowledgedAt).toBe(((await ack.json()) as { alert: { acknowledgedAt: string } }).alert.acknowledgedAt);

    const reopen = await send(`/api/v1/alerts/${alert!.id}`, 'POST', { action: 'reopen' });
    expect(((await reopen.json()) as { alert: { state: string } }).alert.state).toBe('open');
    const annotate = await send(`/api/v1/alerts/${alert!.id}`, 'POST', { action: 'annotate', note: 'asked the web team' });
    expect(((await annotate.json()) as { alert: { note: string } }).alert.note).toBe('asked the web team');

    const audit = (await get(`/api/v1/audit?target=alert:${alert!.id}`)).entries as { action: string; actorName: string }[];
    expect(audit.map((entry) => entry.action)).toEqual(['alert.annotate', 'alert.reopen', 'alert.acknowledge']);
    expect(new Set(audit.map((entry) => entry.actorName))).toEqual(new Set(['admin']));

    const withoutCsrf = await fetch(`${server.url}/api/v1/alerts/${alert!.id}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'acknowledge' }),
    });
    expect(withoutCsrf.status).toBe(403);
  });

  it('acknowledges a group of alerts in one request, each audited and pushed; an unknown id among them changes none', async () => {
    const token = await enrollTestHost(server, session, 'web-04');
    await postAcceptedSnapshot(server.url, token, makeSnapshot('web-04', { sockets: [listener(22, 'sshd')] }));
    await postAcceptedSnapshot(
      server.url,
      token,
      makeSnapshot('web-04', { sockets: [listener(22, 'sshd'), listener(6667, 'ircd'), listener(4444, 'nc'), listener(31337, 'backdoor')] }),
    );
    const alerts = (await get('/api/v1/alerts?host=web-04&kind=listener.opened')).alerts as { id: number; state: string }[];
    expect(alerts).toHaveLength(3);
    const ids = alerts.map((alert) => alert.id);
    const openCount = async () =>
      ((await get('/api/v1/hosts?q=web-04')).hosts as { name: string; openAlertCount: number }[]).find((host) => host.name === 'web-04')?.openAlertCount;
    expect(await openCount()).toBe(3);

    const refused = await send('/api/v1/alerts/triage', 'POST', { ids: [...ids, 2_147_483_647], action: 'acknowledge' });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { fields: { path: string }[] } }).error.fields[0]?.path).toBe('ids');
    expect(((await get('/api/v1/alerts?host=web-04&kind=listener.opened')).alerts as { state: string }[]).map((alert) => alert.state)).toEqual([
      'open',
      'open',
      'open',
    ]);
    expect((await get('/api/v1/audit?target=alert:' + ids[0])).entries).toEqual([]);

    const ack = await send('/api/v1/alerts/triage', 'POST', { ids, action: 'acknowledge', note: 'pen test, ticket 42' });
    expect(ack.status).toBe(200);
    const answered = ((await ack.json()) as { alerts: { id: number; state: string; note: string }[] }).alerts;
    expect(answered.map((alert) => [alert.id, alert.state, alert.note])).toEqual(ids.map((id) => [id, 'acknowledged', 'pen test, ticket 42']));
    for (const id of ids) {
      await client.waitFor((e) => e.event === 'alert:ack' && e.payload.id === id && e.payload.state === 'acknowledged');
      const audit = (await get(`/api/v1/audit?target=alert:${id}`)).entries as { action: string }[];
      expect(audit.map((entry) => entry.action)).toEqual(['alert.acknowledge']);
    }
    expect(await openCount()).toBe(0);
  });

  it('classes interfaces as expected to be promiscuous by name pattern, so they raise no alert', async () => {
    const token = await enrollTestHost(server, session, 'kube-01');
    const nic = (name: string, promiscuous: boolean) => ({
      name,
      flags: promiscuous ? ['UP', 'PROMISC'] : ['UP'],
      promiscuous,
      mtu: 1500,
      mac: null,
      addresses: [],
    });
    expect((await send('/api/v1/promiscuous-rules', 'POST', { pattern: 'tap*', note: 'VM taps' })).status).toBe(201);
    expect((await send('/api/v1/promiscuous-rules', 'POST', { pattern: 'tap*' })).status).toBe(409);
    await postAcceptedSnapshot(server.url, token, makeSnapshot('kube-01', { interfaces: [nic('eth0', false), nic('tap0', false), nic('veth12ab', false)] }));
    await postAcceptedSnapshot(server.url, token, makeSnapshot('kube-01', { interfaces: [nic('eth0', false), nic('tap0', true), nic('veth12ab', true)] }));
    expect((await get('/api/v1/alerts?host=kube-01')).alerts).toEqual([]);
    await postAcceptedSnapshot(server.url, token, makeSnapshot('kube-01', { interfaces: [nic('eth0', true), nic('tap0', true), nic('veth12ab', true)] }));
    const alerts = (await get('/api/v1/alerts?host=kube-01')).alerts as { kind: string; level: number; message: string }[];
    expect(alerts.map((alert) => [alert.kind, alert.level])).toEqual([['interface.promiscuous_on', 12]]);
    expect(alerts[0]?.message).toContain('eth0');
  });
});
