// The server killed with SIGKILL while collectors post (transactions in flight, answers lost):
// the collectors spool and retry against the restarted server, and every snapshot is stored
// exactly once. The database is a private PostgreSQL this test starts itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import {
  describeOutcome,
  expectEverySnapshotStoredOnce,
  finishFaultLoad,
  prepareFaultStage,
  startFaultLoad,
  storedSnapshotCount,
  waitForFirstSnapshots,
  type FaultLoad,
  type FaultStage,
} from '@/test/helpers/fault-load';

let stage: FaultStage;
let server: AppServer;
let restarted: AppServer | null = null;
let load: FaultLoad | null = null;

beforeAll(async () => {
  // The same port after the restart: collectors keep the URL they were given.
  stage = await prepareFaultStage('kill', { samePortAfterRestart: true });
  server = await startAppServer(stage.serverOptions);
}, 180_000);

afterAll(async () => {
  load?.kill();
  await server?.stop();
  await restarted?.stop();
  await stage?.dispose();
});

describe('server killed during load', () => {
  it('loses nothing and stores nothing twice after a SIGKILL and a restart', async () => {
    const admin: BrowserSession = await signInAdmin(server);
    load = await startFaultLoad(server, admin, stage, 'kill-fault');

    await waitForFirstSnapshots(stage.databaseUrl);
    const storedBeforeKill = await storedSnapshotCount(stage.databaseUrl);
    await server.stop('SIGKILL');
    // Down for as long as a restart takes: the collectors meet refused connections and spool.
    restarted = await startAppServer(stage.serverOptions);
    expect(restarted.url).toBe(server.url);

    const outcome = await finishFaultLoad(load, stage.databaseUrl);
    load = null;
    console.log(`[fault: server SIGKILL] stored before the kill: ${storedBeforeKill}; ${describeOutcome(outcome)}`);

    expectEverySnapshotStoredOnce(outcome, { server: restarted, earlier: [server] });
    // The collectors met the outage as a connection refused or cut off, not as an answer.
    expect(
      Object.keys(outcome.report.retryReasons).some((reason) => /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|fetch failed|other side closed/.test(reason)),
    ).toBe(true);
  }, 300_000);
});
