// PostgreSQL restarted while collectors post: ingest answers 503 (never 500) while it is down,
// the collectors spool and retry, and once it is back every snapshot is stored exactly once.
// The database is a private PostgreSQL this test starts itself (never the machine's cluster).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { countStored, localHostName, startLoad, storedSnapshotCount, type RunningLoad } from '@/test/helpers/fault-load';
import { startPrivatePostgres, type PrivatePostgres } from '@/test/helpers/private-postgres';
import { makeSnapshot } from '@/test/helpers/snapshots';

let postgres: PrivatePostgres;
let server: AppServer;
let workDir: string;
let databaseUrl: string;
let load: RunningLoad | null = null;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-fault-pg-'));
  postgres = await startPrivatePostgres();
  databaseUrl = await postgres.createDatabase('sockscope');
  // The collectors here post five times a second each: above the default per-host limit on purpose.
  server = await startAppServer({ keepData: { env: { DATABASE_URL: databaseUrl, DATA_DIR: workDir } }, env: { SOCKSCOPE_INGEST_RATE: '100000/min' } });
}, 180_000);

afterAll(async () => {
  load?.kill();
  await server?.stop();
  await postgres?.dispose();
  await rm(workDir, { recursive: true, force: true });
});

const waitFor = async (condition: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('PostgreSQL restarted during load', () => {
  it('answers 503 while it is down; afterwards every snapshot is stored exactly once', async () => {
    const admin: BrowserSession = await signInAdmin(server);
    const synthetic = [];
    for (const host of ['pg-fault-1', 'pg-fault-2', 'pg-fault-3']) synthetic.push({ host, token: await enrollHost(server, admin, host) });
    const probe = { kind: 'bearer' as const, token: await enrollHost(server, admin, 'pg-fault-probe') };
    const cliHost = localHostName();
    const cliToken = await enrollHost(server, admin, cliHost);
    load = await startLoad({ serverUrl: server.url, workDir, synthetic, snapshotsEach: 60, intervalMs: 200, cli: { host: cliHost, token: cliToken, intervalSeconds: 1 } });

    await waitFor(async () => (await storedSnapshotCount(databaseUrl)) >= 25, 60_000, 'the first snapshots');
    await postgres.stop('fast');

    // While it is down: ingest says 503 with Retry-After, health says 503, pages show a bare error.
    let answer = await call(server, probe, 'POST', '/api/v1/snapshots', { json: makeSnapshot('pg-fault-probe') });
    for (let attempt = 0; attempt < 20 && answer.status !== 503; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await call(server, probe, 'POST', '/api/v1/snapshots', { json: makeSnapshot('pg-fault-probe') });
    }
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    const health = await call(server, { kind: 'anonymous' }, 'GET', '/healthz');
    expect(health.status, server.output().slice(-3000)).toBe(503);
    const page = await call(server, admin, 'GET', '/');
    expect(page.status).toBe(500);
    expect(page.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:\d+|Prisma|\n\s+at |node_modules|\/work\//);
    // Keep it down a few collection intervals, so every collector meets the outage.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await postgres.start();

    const report = await load.finish();
    load = null;
    const counts = await countStored(databaseUrl, report.sent);
    const totals = counts.reduce(
      (sum, count) => ({ sent: sum.sent + count.sent, stored: sum.stored + count.stored, duplicates: sum.duplicates + count.duplicates, lost: sum.lost + count.lost, unexpected: sum.unexpected + count.unexpected }),
      { sent: 0, stored: 0, duplicates: 0, lost: 0, unexpected: 0 },
    );
    console.log(`[fault: postgres restart] ${JSON.stringify(totals)} per host ${JSON.stringify(counts)} collector retries ${JSON.stringify(report.retryReasons)}, replays answered 200: ${report.replays}`);

    expect(report.collectorOutput).not.toMatch(/ lost |server refused/);
    // Neither the collectors nor the server ever print a host token, whatever went wrong.
    for (const token of [cliToken, ...synthetic.map((collector) => collector.token)]) {
      expect(report.collectorOutput.includes(token)).toBe(false);
      expect(server.output().includes(token) || server.output().includes(token)).toBe(false);
    }
    expect(Object.keys(report.retryReasons).some((reason) => reason === 'HTTP 503')).toBe(true);
    const unexpected = /unexpected error[\s\S]{0,2500}/.exec(server.output())?.[0];
    expect(Object.keys(report.retryReasons).filter((reason) => /HTTP 5\d\d/.test(reason) && reason !== 'HTTP 503'), unexpected).toEqual([]);
    expect(server.output()).not.toMatch(/unexpected error/);
    expect(totals.sent).toBeGreaterThanOrEqual(180);
    expect(totals).toMatchObject({ stored: totals.sent, duplicates: 0, lost: 0, unexpected: 0 });
  }, 300_000);
});
