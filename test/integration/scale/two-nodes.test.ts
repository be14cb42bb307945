// Two app nodes behind one PostgreSQL share live events through Redis (REDIS_URL): a dashboard on
// one node sees the snapshots posted to the other. Both nodes need one database, so even with
// TEST_DB=pglite (one process per embedded database) they run on a private PostgreSQL database.
// Everything this test writes in Redis carries a prefix of its own and is deleted afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { createEmptyPostgresDatabase } from '@/test/helpers/test-database';
import { connectRecordingClient, type RecordingClient } from '@/test/helpers/realtime-client';
import { listener, makeSnapshot, postSnapshot } from '@/test/helpers/snapshots';

const redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const prefix = `sockscope-test-${process.pid}-${randomBytes(4).toString('hex')}`;

const servers: AppServer[] = [];
let clients: RecordingClient[] = [];
let session: { cookie: string; csrfToken: string };
let database: { url: string; drop: () => Promise<void> } | null = null;
const dataDirs: string[] = [];

/** Every key this run left in Redis (the adapter's stream, session keys), by prefix. */
async function deleteRedisKeys(): Promise<string[]> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
    if (keys.length > 0) await redis.del(keys);
    return keys;
  } finally {
    await redis.close();
  }
}

/** Posts to one node until the other node's dashboard sees it: the adapters start reading the stream a moment after start-up. */
async function postUntilSeen(via: AppServer, token: string, host: string, client: RecordingClient): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await postSnapshot(via.url, token, makeSnapshot(host, { sockets: [listener(22, 'sshd'), listener(10_000 + attempt, 'app')] }));
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    try {
      await client.waitFor((event) => event.event === 'snapshot' && event.payload.id === id, 3_000);
      return id;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

beforeAll(async () => {
  database = await createEmptyPostgresDatabase();
  for (const node of ['a', 'b']) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `sockscope-node-${node}-`));
    dataDirs.push(dataDir);
    servers.push(
      await startAppServer({
        keepData: { env: { DATABASE_URL: database.url, DATA_DIR: dataDir } },
        env: { REDIS_URL: redisUrl, SOCKSCOPE_REDIS_PREFIX: prefix },
      }),
    );
  }
  session = await signInAsAdmin(servers[0]!);
  clients = await Promise.all(servers.map((server) => connectRecordingClient(server, session.cookie)));
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const server of servers) await server.stop();
  await database?.drop();
  for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
  await deleteRedisKeys();
});

describe('two nodes sharing PostgreSQL and Redis', () => {
  it('pushes a snapshot posted to node B to a dashboard connected to node A, and the other way round', async () => {
    const [nodeA, nodeB] = servers as [AppServer, AppServer];
    const [onA, onB] = clients as [RecordingClient, RecordingClient];
    const token = await enrollTestHost(nodeB, session, 'scale-01');

    const firstId = await postUntilSeen(nodeB, token, 'scale-01', onA);
    // Steady state: the next snapshot and its diff reach node A's dashboard at once.
    const response = await postSnapshot(nodeB.url, token, makeSnapshot('scale-01', { sockets: [listener(22, 'sshd'), listener(443, 'nginx')] }));
    const { id } = (await response.json()) as { id: string };
    expect(id).not.toBe(firstId);
    const snapshotEvent = await onA.waitFor((event) => event.event === 'snapshot' && event.payload.id === id, 5_000);
    expect(snapshotEvent.payload).toMatchObject({ host: 'scale-01', id });
    await onA.waitFor((event) => event.event === 'diff' && event.payload.snapshotId === id, 5_000);

    // Node A's own posts reach node B's dashboard as well.
    const fromA = await postUntilSeen(nodeA, token, 'scale-01', onB);
    expect(onA.events.some((event) => event.event === 'snapshot' && event.payload.id === fromA)).toBe(true);
  });

  it('keeps its Redis keys under its own prefix', async () => {
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
      expect(keys).toContain(`${prefix}:socket.io`);
    } finally {
      await redis.close();
    }
  });
});
