// The bounds on snapshot ingest (lib/ingest/ingest-limits.ts, server/read-body.ts), as a host with a
// stolen token would probe them: a body that stalls gets 408 within seconds and frees everything
// it held; one host holds one upload at a time; bodies being received share a byte budget (past it
// 503 + Retry-After). Refused posts store nothing; the others carry on. The bound on ingests at
// once is tested on PostgreSQL (test/integration/postgres/ingest-slots.test.ts).
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, expectCleanError, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';
import { waitFor } from '@/test/helpers/wait-for';

let server: AppServer;
let admin: BrowserSession;

// Two bodies of this size fit the receiving budget; a third does not.
const RECEIVING_BYTES = 6_000;
const LISTENERS_PER_BODY = 14; // about 2,760 bytes a body

beforeAll(async () => {
  server = await startAppServer({ env: { SOCKSCOPE_INGEST_RECEIVING_BYTES: String(RECEIVING_BYTES) } });
  admin = await signInAdmin(server);
});
afterAll(async () => {
  await server?.dispose();
});

interface HeldPost {
  /** Sends the rest of the body; resolves with the answer's status. */
  finish: () => Promise<number>;
  /** The answer, whenever it comes (also before the body is finished). */
  answer: Promise<number>;
}

/** A POST that sends part of its body and then waits: the server has authenticated it and waits for the rest. */
function startSlowPost(token: string, body: string, sentBytes = Math.floor(body.length / 2)): HeldPost {
  let outgoing!: ClientRequest;
  const answer = new Promise<number>((resolve) => {
    outgoing = httpRequest(`${server.url}/api/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    // A connection the server cut counts as its answer too.
    outgoing.on('error', () => resolve(0));
  });
  outgoing.write(body.slice(0, sentBytes));
  return {
    answer,
    finish() {
      outgoing.end(body.slice(sentBytes));
      return answer;
    },
  };
}

async function metric(name: string): Promise<number> {
  const metrics = await call(server, { kind: 'anonymous' }, 'GET', '/metrics');
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics.text)?.[1] ?? 'NaN');
}

async function storedCount(host: string): Promise<number> {
  const stored = await call(server, admin, 'GET', `/api/v1/hosts/${host}/snapshots`);
  return (stored.body.snapshots as unknown[]).length;
}

const bodyOf = (host: string) => JSON.stringify(makeSnapshot(host, { sockets: [listener(22), listener(80), listener(443)] }));

describe('ingest limits', () => {
  it('answers a body that stalls with 408 within seconds, and the host can post again', async () => {
    const token = await enrollHost(server, admin, 'stalled');
    const started = Date.now();
    const stalled = startSlowPost(token, bodyOf('stalled'), 100);
    expect(await stalled.answer).toBe(408);
    // Well under Node's own five minutes: the server's idle limit is ten seconds.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await call(server, { kind: 'bearer', token }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('stalled') })).status).toBe(202);
    expect(await storedCount('stalled')).toBe(1);
  });

  it('lets one host hold one upload at a time (429), and receives other hosts meanwhile', async () => {
    const greedy = await enrollHost(server, admin, 'greedy');
    const other = await enrollHost(server, admin, 'patient');
    const first = startSlowPost(greedy, bodyOf('greedy'));
    await waitFor('the first upload to be received', async () => (await metric('sockscope_ingest_receiving_bytes')) > 0);
    const second = await call(server, { kind: 'bearer', token: greedy }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('greedy') });
    expectCleanError(second, 429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(server, { kind: 'bearer', token: other }, 'POST', '/api/v1/snapshots', { json: makeSnapshot('patient') })).status).toBe(202);
    expect(await first.finish()).toBe(202);
    expect(await storedCount('greedy')).toBe(1);
  });

  it('refuses a body past the bytes being received at once with 503 + Retry-After, storing nothing for it', async () => {
    const tokens = [await enrollHost(server, admin, 'slow-one'), await enrollHost(server, admin, 'slow-two'), await enrollHost(server, admin, 'turned-away')];
    const body = (host: string) =>
      JSON.stringify(makeSnapshot(host, { sockets: Array.from({ length: LISTENERS_PER_BODY }, (_, index) => listener(1000 + index)) }));
    const firstBody = body('slow-one');
    expect(Buffer.byteLength(firstBody) * 2).toBeLessThanOrEqual(RECEIVING_BYTES);
    expect(Buffer.byteLength(firstBody) * 3).toBeGreaterThan(RECEIVING_BYTES);
    const first = startSlowPost(tokens[0]!, firstBody);
    const second = startSlowPost(tokens[1]!, body('slow-two'));
    await waitFor('two uploads to be received', async () => (await metric('sockscope_ingest_receiving_bytes')) >= Buffer.byteLength(firstBody) * 2 - 100);

    const refused = await call(server, { kind: 'bearer', token: tokens[2]! }, 'POST', '/api/v1/snapshots', { json: JSON.parse(body('turned-away')) });
    expectCleanError(refused, 503);
    expect(refused.body.error.code).toBe('unavailable');
    // Served outside Next.js, the answer still carries the API's security headers.
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");

    expect(await Promise.all([first.finish(), second.finish()])).toEqual([202, 202]);
    expect(await storedCount('turned-away')).toBe(0);
    expect((await call(server, { kind: 'bearer', token: tokens[2]! }, 'POST', '/api/v1/snapshots', { json: JSON.parse(body('turned-away')) })).status).toBe(
      202,
    );
  });
});
