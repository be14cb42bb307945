// One host posting the largest snapshot the server accepts must not stop the server: with
// PostgreSQL, its ingest runs on a worker thread, so /healthz, /metrics and another host's snapshot
// are answered while it is still being ingested. (Before, the one Node thread was busy for seconds:
// nothing else was answered until it finished. How fast they are answered is measured by
// `npm run bench`, not here.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SOCKETS, type SocketRow } from '@/lib/schemas/snapshot';
import { call, enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { waitFor } from '@/test/helpers/wait-for';

let server: AppServer;
let admin: BrowserSession;

beforeAll(async () => {
  server = await startAppServer();
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

async function ingestsInFlight(): Promise<number> {
  const metrics = await call(server, { kind: 'anonymous' }, 'GET', '/metrics');
  return Number(/^sockscope_ingests_in_flight (\d+)$/m.exec(metrics.text)?.[1] ?? 'NaN');
}

describe('the largest snapshot', () => {
  it('leaves /healthz and other hosts answered while it is ingested', async () => {
    expect(server.env.DATABASE_URL, 'ingest runs on worker threads with PostgreSQL (TEST_DB=postgres)').toBeTruthy();
    const big = await enrollHost(server, admin, 'huge-host');
    const small = await enrollHost(server, admin, 'small-host');
    const sockets: SocketRow[] = Array.from({ length: MAX_SOCKETS }, (_, index) => ({
      ...listener(443, 'haproxy'),
      remoteAddress: `198.51.${Math.floor(index / 256) % 256}.${index % 256}`,
      remotePort: 1024 + (index % 60_000),
      state: 'ESTABLISHED',
    }));
    let bigAnsweredAt = 0;
    const bigPost = call(server, { kind: 'bearer', token: big }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('huge-host', { sockets }) }).then(
      (result) => {
        bigAnsweredAt = Date.now();
        return result;
      },
    );
    // /metrics itself can only answer while the big snapshot is in progress if nothing blocks the server.
    await waitFor('the largest snapshot to be in progress', async () => (await ingestsInFlight()) === 1, 60_000, 10);
    const health = await call(server, { kind: 'anonymous' }, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const other = await call(server, { kind: 'bearer', token: small }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('small-host') });
    const otherAnsweredAt = Date.now();
    expect(other.status).toBe(202);
    expect((await bigPost).status).toBe(202);
    // The small host was answered before the big one finished, not after it.
    expect(otherAnsweredAt).toBeLessThan(bigAnsweredAt);
  }, 180_000);
});
