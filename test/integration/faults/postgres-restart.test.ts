// PostgreSQL restarted while collectors post: ingest answers 503 (never 500) while it is down,
// the collectors spool and retry, and once it is back every snapshot is stored exactly once.
// The database is a private PostgreSQL this test starts itself (never the machine's cluster).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import {
  describeOutcome,
  expectEverySnapshotStoredOnce,
  finishFaultLoad,
  prepareFaultStage,
  startFaultLoad,
  waitForFirstSnapshots,
  type FaultLoad,
  type FaultStage,
} from '@/test/helpers/fault-load';
import { makeSnapshot } from '@/test/helpers/snapshots';

let stage: FaultStage;
let server: AppServer;
let load: FaultLoad | null = null;

beforeAll(async () => {
  stage = await prepareFaultStage('pg');
  server = await startAppServer(stage.serverOptions);
}, 180_000);

afterAll(async () => {
  load?.kill();
  await server?.stop();
  await stage?.dispose();
});

describe('PostgreSQL restarted during load', () => {
  it('answers 503 while it is down; afterwards every snapshot is stored exactly once', async () => {
    const admin: BrowserSession = await signInAdmin(server);
    const probe = { kind: 'bearer' as const, token: await enrollHost(server, admin, 'pg-fault-probe') };
    load = await startFaultLoad(server, admin, stage, 'pg-fault');

    await waitForFirstSnapshots(stage.databaseUrl);
    await stage.postgres.stop('fast');

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
    await stage.postgres.start();

    const outcome = await finishFaultLoad(load, stage.databaseUrl);
    load = null;
    console.log(`[fault: postgres restart] ${describeOutcome(outcome)}`);

    expectEverySnapshotStoredOnce(outcome, { server });
    // The collectors met the outage as the 503 the server answered while the database was down.
    expect(Object.keys(outcome.report.retryReasons).some((reason) => reason === 'HTTP 503')).toBe(true);
  }, 300_000);
});
