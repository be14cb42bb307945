// When more snapshots arrive at once than the server ingests (SOCKSCOPE_INGEST_CONCURRENCY), the
// extra ones are refused with 503 + Retry-After and store nothing — collectors keep them spooled
// and retry — instead of queueing in memory; the ones in progress finish normally.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, expectCleanError, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { makeSnapshot } from '@/test/helpers/snapshots';

let server: AppServer;
let admin: BrowserSession;

beforeAll(async () => {
  server = await startAppServer({ env: { SOCKSCOPE_INGEST_CONCURRENCY: '2' } });
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

interface HeldPost {
  /** Sends the rest of the body; resolves with the answer's status. */
  finish(): Promise<number>;
}

/** A POST whose body arrives slowly: the server has authenticated it and waits for the rest. */
function startSlowPost(token: string, body: string): HeldPost {
  let outgoing!: ClientRequest;
  const answer = new Promise<number>((resolve, reject) => {
    outgoing = httpRequest(`${server.url}/api/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  outgoing.write(body.slice(0, half));
  return {
    finish() {
      outgoing.end(body.slice(half));
      return answer;
    },
  };
}

async function ingestsInFlight(): Promise<number> {
  const metrics = await call(server, { kind: 'anonymous' }, 'GET', '/metrics');
  return Number(/^sockscope_ingests_in_flight (\d+)$/m.exec(metrics.text)?.[1] ?? 'NaN');
}

async function waitForIngestsInFlight(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await ingestsInFlight()) !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} ingests in flight, /metrics says ${await ingestsInFlight()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ingest concurrency limit', () => {
  it('refuses a third snapshot with 503 + Retry-After while two are in progress, stores nothing for it, then accepts again', async () => {
    const tokens = {
      first: await enrollHost(server, admin, 'slow-one'),
      second: await enrollHost(server, admin, 'slow-two'),
      third: await enrollHost(server, admin, 'turned-away'),
    };
    const firstPost = startSlowPost(tokens.first, JSON.stringify(makeSnapshot('slow-one')));
    const secondPost = startSlowPost(tokens.second, JSON.stringify(makeSnapshot('slow-two')));
    await waitForIngestsInFlight(2);

    const refused = await call(server, { kind: 'bearer', token: tokens.third }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('turned-away') });
    expectCleanError(refused, 503);
    expect(refused.body.error.code).toBe('unavailable');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    // Served outside Next.js, the answer still carries the API's security headers.
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");

    expect(await Promise.all([firstPost.finish(), secondPost.finish()])).toEqual([202, 202]);
    await waitForIngestsInFlight(0);

    const turnedAwayBefore = await call(server, admin, 'GET', '/api/v1/hosts/turned-away/snapshots');
    expect(turnedAwayBefore.body.snapshots).toHaveLength(0);
    const retried = await call(server, { kind: 'bearer', token: tokens.third }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('turned-away') });
    expect(retried.status).toBe(202);
    for (const name of ['slow-one', 'slow-two', 'turned-away']) {
      const stored = await call(server, admin, 'GET', `/api/v1/hosts/${name}/snapshots`);
      expect(stored.body.snapshots, name).toHaveLength(1);
    }
  });
});
