// Past SOCKSCOPE_INGEST_CONCURRENCY ingests at once, the next snapshot gets 503 + Retry-After and
// stores nothing (collectors keep it spooled and retry) instead of queueing in memory; the ones in
// progress finish normally. An ingest is held in progress here by locking its host's row from
// outside, which only an external PostgreSQL allows (the embedded database lives in the server).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, expectCleanError, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { makeSnapshot } from '@/test/helpers/snapshots';
import { waitFor } from '@/test/helpers/wait-for';

let server: AppServer;
let admin: BrowserSession;

beforeAll(async () => {
  server = await startAppServer({ env: { SOCKSCOPE_INGEST_CONCURRENCY: '1' } });
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

async function ingestsInFlight(): Promise<number> {
  const metrics = await call(server, { kind: 'anonymous' }, 'GET', '/metrics');
  return Number(/^sockscope_ingests_in_flight (\d+)$/m.exec(metrics.text)?.[1] ?? 'NaN');
}

describe('ingest slots', () => {
  it('refuses a snapshot with 503 + Retry-After while the one ingest slot is taken, then accepts it', async () => {
    expect(server.env.DATABASE_URL, 'this test needs PostgreSQL (TEST_DB=postgres)').toBeTruthy();
    const held = await enrollHost(server, admin, 'held-host');
    const other = await enrollHost(server, admin, 'other-host');
    const blocker = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "Host" WHERE "name" = 'held-host' FOR UPDATE`);
      const heldPost = call(server, { kind: 'bearer', token: held }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('held-host') });
      await waitFor('the held ingest', async () => (await ingestsInFlight()) === 1);

      const refused = await call(server, { kind: 'bearer', token: other }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('other-host') });
      expectCleanError(refused, 503);
      expect(refused.body.error.code).toBe('unavailable');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);

      await blocker.query('COMMIT');
      expect((await heldPost).status).toBe(202);
    } finally {
      await blocker.end();
    }
    const stored = await call(server, admin, 'GET', '/api/v1/hosts/other-host/snapshots');
    expect(stored.body.snapshots).toHaveLength(0);
    expect((await call(server, { kind: 'bearer', token: other }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('other-host') })).status).toBe(202);
  });
});
