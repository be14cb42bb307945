// All or nothing: an ingest that fails at its very last write (the host summary, after the
// snapshot, its section rows and its alerts are written) leaves no row behind, answers a generic
// 500 that reveals nothing, and the collector's retry of the same snapshot is then stored afresh.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CLI_ACTOR } from '@/lib/auth/audit';
import { enrollHost } from '@/lib/hosts/host-tokens';
import { createUser } from '@/lib/users/users';
import { call } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { countTableRows, type TableCounts } from '@/test/helpers/server-database';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let testDatabase: TestDatabase;
let server: AppServer | null = null;
let token: string;

const FAILURE = 'injected failure at the last step of ingest';

beforeAll(async () => {
  testDatabase = await openTestDatabase();
  const sql = testDatabase.database.sql;
  token = (await enrollHost(testDatabase.database.prisma, 'atomic-01')).token;
  // An account already there, so the server's first start creates no first-run admin to count.
  await createUser(testDatabase.database.prisma, ADMIN_CLI_ACTOR, { name: 'operator', role: 'admin', password: 'operator-password-long' });
  await sql.exec(`
    CREATE FUNCTION sockscope_test_fail() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '${FAILURE}'; END $$ LANGUAGE plpgsql;
    CREATE TRIGGER sockscope_test_fail BEFORE UPDATE OF "lastSnapshotId" ON "Host"
      FOR EACH ROW WHEN (NEW.name = 'atomic-01') EXECUTE FUNCTION sockscope_test_fail();
  `);
});
afterAll(async () => {
  await server?.stop();
  // The embedded database was closed to hand it to the server; only its directory is left.
  if (testDatabase?.kind === 'pglite') await rm(testDatabase.env.DATA_DIR ?? '', { recursive: true, force: true });
  else await testDatabase?.dispose();
});

/** The embedded database belongs to one process: count with the server stopped, then start it again. */
async function countWithServerStopped(): Promise<TableCounts> {
  await server?.stop();
  server = null;
  if (testDatabase.kind === 'pglite') {
    const reopened = await openTestDatabaseAt(testDatabase.env);
    try {
      return await countTableRows(reopened.sql);
    } finally {
      await reopened.close();
    }
  }
  return countTableRows(testDatabase.database.sql);
}

async function openTestDatabaseAt(env: Record<string, string>) {
  const { openDatabase } = await import('@/lib/db/open-database');
  return openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '', migrate: false });
}

describe('ingest is one transaction', () => {
  it('a failure at the last write stores nothing; the retry of the same snapshot is then stored', async () => {
    const snapshot = makeSnapshot('atomic-01', {
      sockets: [listener(22, 'sshd'), listener(4444, 'nc'), { ...listener(53, 'dnsmasq'), proto: 'udp', state: null }],
      interfaces: [{ name: 'eth0', flags: ['UP', 'PROMISC'], promiscuous: true, mtu: 1500, mac: null, addresses: ['192.0.2.7/24'] }],
      traceroutes: [
        { target: 'example.net', targetAddress: '192.0.2.1', hops: [{ hop: 1, probes: [{ address: '192.0.2.1', name: null, rttMs: 1.5, annotation: null }] }] },
      ],
    });
    if (testDatabase.kind === 'pglite') await testDatabase.database.close();
    const before = testDatabase.kind === 'pglite' ? await countWithServerStopped() : await countTableRows(testDatabase.database.sql);

    server = await startAppServer({ keepData: { env: testDatabase.env } });
    const failed = await call(server, { kind: 'bearer', token }, 'POST', '/api/v1/snapshots', { json: snapshot });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ error: { code: 'internal', message: 'Internal server error.' } });
    expect(failed.text).not.toContain(FAILURE);
    const log = await server.waitForOutput(FAILURE);
    expect(log).not.toContain(token);

    const after = await countWithServerStopped();
    expect(after).toEqual(before);
    expect(after.Snapshot).toBe(0);

    // Fixed (the trigger gone), the collector's retry of the very same snapshot is new to the server.
    if (testDatabase.kind === 'pglite') {
      const reopened = await openTestDatabaseAt(testDatabase.env);
      await reopened.sql.exec('DROP TRIGGER sockscope_test_fail ON "Host"');
      await reopened.close();
    } else {
      await testDatabase.database.sql.exec('DROP TRIGGER sockscope_test_fail ON "Host"');
    }
    server = await startAppServer({ keepData: { env: testDatabase.env } });
    const retried = await call(server, { kind: 'bearer', token }, 'POST', '/api/v1/snapshots', { json: snapshot });
    expect(retried.status).toBe(202);
    expect(retried.body.replayed).toBe(false);
    const stored = await countWithServerStopped();
    expect(stored.Snapshot).toBe(1);
    expect(stored.Socket).toBe(3);
    expect(stored.Alert).toBeGreaterThan(before.Alert ?? 0);
  }, 180_000);
});
