// POST /api/v1/snapshots on the real server: accepted snapshots are stored and readable back;
// bad ones get 400 / 401 / 403 / 413 with the failing field, and leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySummary } from '@/lib/diff/summarize-diff';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { listener, makeSnapshot, postSnapshot } from '@/test/helpers/snapshots';

const MAX_BYTES = 64 * 1024;
let server: AppServer;
let session: { cookie: string; csrfToken: string };
let token: string;

beforeAll(async () => {
  server = await startAppServer({ env: { SOCKSCOPE_MAX_SNAPSHOT_BYTES: String(MAX_BYTES) } });
  session = await signInAsAdmin(server);
  token = await enrollTestHost(server, session, 'web-01');
});
afterAll(async () => {
  await server?.dispose();
});

async function analystGet(path: string) {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function snapshotCount(): Promise<number> {
  const { body } = await analystGet('/api/v1/hosts/web-01/snapshots?limit=1000');
  return (body.snapshots as unknown[]).length;
}

describe('POST /api/v1/snapshots', () => {
  it('stores a snapshot (202) and answers a repeated idempotency key with the first id (200)', async () => {
    const snapshot = makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(8080, 'java')] });
    const first = await postSnapshot(server.url, token, snapshot);
    expect(first.status).toBe(202);
    const stored = (await first.json()) as { id: string; changed: Record<string, boolean> };
    expect(stored.changed).toEqual({ sockets: true, processes: true, interfaces: true });

    const again = await postSnapshot(server.url, token, snapshot);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(stored.id);

    const host = await analystGet('/api/v1/hosts/web-01');
    const ports = (host.body.listeningSockets as { localPort: number; process: string }[]).map((socket) => [socket.localPort, socket.process]);
    expect(ports).toEqual([
      [22, 'sshd'],
      [8080, 'java'],
    ]);
  });

  it('marks unchanged sections as unchanged and stores no new rows for them', async () => {
    const base = makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(8080, 'java')] });
    await postSnapshot(server.url, token, base);
    const reordered = makeSnapshot('web-01', { sockets: [listener(8080, 'java'), listener(22, 'sshd')] });
    const response = await postSnapshot(server.url, token, reordered);
    expect(response.status).toBe(202);
    const stored = (await response.json()) as { id: string; changed: Record<string, boolean> };
    expect(stored.changed.sockets).toBe(false);

    // Its all-zero diff summary is not stored, but the timeline still shows it as "nothing changed".
    const { body } = await analystGet('/api/v1/hosts/web-01/snapshots?limit=1');
    const [latest] = body.snapshots as { id: string; changedSections: string[]; diffSummary: unknown }[];
    expect(latest).toMatchObject({ id: stored.id, changedSections: [], diffSummary: emptySummary });
  });

  it('rejects a malformed snapshot with 400 naming the failing fields, storing nothing', async () => {
    const before = await snapshotCount();
    const bad = makeSnapshot('web-01', { sockets: [listener(22), { ...listener(23), localPort: -1 }] });
    const response = await postSnapshot(server.url, token, bad);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.fields.map((field) => field.path)).toContain('sockets.1.localPort');

    const notJson = await postSnapshot(server.url, token, '{"version": 1,');
    expect(notJson.status).toBe(400);
    const unknownField = await postSnapshot(server.url, token, { ...makeSnapshot('web-01'), surprise: true });
    expect(unknownField.status).toBe(400);
    const nul = await postSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'ssh\u0000d')] }));
    expect(nul.status).toBe(400);
    expect(await snapshotCount()).toBe(before);
  });

  it('answers 401 without a token or with an unknown one, storing nothing', async () => {
    const before = await snapshotCount();
    const missing = await fetch(`${server.url}/api/v1/snapshots`, { method: 'POST', body: JSON.stringify(makeSnapshot('web-01')) });
    expect(missing.status).toBe(401);
    const wrong = await postSnapshot(server.url, 'ssh_not-a-real-token', makeSnapshot('web-01'));
    expect(wrong.status).toBe(401);
    expect(await snapshotCount()).toBe(before);
  });

  it('answers 403 when a token posts for another host', async () => {
    const response = await postSnapshot(server.url, token, makeSnapshot('db-01'));
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields[0]?.path).toBe('host.name');
  });

  it('answers 413 over the size limit, storing nothing', async () => {
    const before = await snapshotCount();
    const sockets = Array.from({ length: 2000 }, (_, index) => listener(1000 + index, 'x'.repeat(20)));
    const response = await postSnapshot(server.url, token, makeSnapshot('web-01', { sockets }));
    expect(response.status).toBe(413);
    expect(await snapshotCount()).toBe(before);
  });

  it('keeps the analyst API closed to anonymous callers and to host tokens', async () => {
    expect((await fetch(`${server.url}/api/v1/hosts`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('counts accepted and rejected snapshots in /metrics, and /healthz answers while the database is up', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/sockscope_snapshots_total\{outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/sockscope_snapshots_total\{outcome="rejected",status="401"\} [1-9]/);
    expect(metrics).toMatch(/sockscope_hosts 1\n/);
    expect(metrics).not.toContain('web-01');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
