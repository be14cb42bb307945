// The server killed with SIGKILL while collectors post (transactions in flight, answers lost):
// the collectors spool and retry against the restarted server, and every snapshot is stored
// exactly once. The database is a private PostgreSQL this test starts itself.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { countStored, freePort, localHostName, startLoad, storedSnapshotCount, type RunningLoad } from '@/test/helpers/fault-load';
import { startPrivatePostgres, type PrivatePostgres } from '@/test/helpers/private-postgres';

let postgres: PrivatePostgres;
let server: AppServer;
let restarted: AppServer | null = null;
let serverOptions: Parameters<typeof startAppServer>[0];
let workDir: string;
let databaseUrl: string;
let load: RunningLoad | null = null;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-fault-kill-'));
  postgres = await startPrivatePostgres();
  databaseUrl = await postgres.createDatabase('sockscope');
  // The collectors here post five times a second each: above the default per-host limit on purpose.
  // The same port after the restart: collectors keep the URL they were given.
  serverOptions = { port: await freePort(), keepData: { env: { DATABASE_URL: databaseUrl, DATA_DIR: workDir } }, env: { SOCKSCOPE_INGEST_RATE: '100000/min' } };
  server = await startAppServer(serverOptions);
}, 180_000);

afterAll(async () => {
  load?.kill();
  await server?.stop();
  await restarted?.stop();
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

describe('server killed during load', () => {
  it('loses nothing and stores nothing twice after a SIGKILL and a restart', async () => {
    const admin: BrowserSession = await signInAdmin(server);
    const synthetic = [];
    for (const host of ['kill-fault-1', 'kill-fault-2', 'kill-fault-3']) synthetic.push({ host, token: await enrollHost(server, admin, host) });
    const cliHost = localHostName();
    const cliToken = await enrollHost(server, admin, cliHost);
    load = await startLoad({ serverUrl: server.url, workDir, synthetic, snapshotsEach: 60, intervalMs: 200, cli: { host: cliHost, token: cliToken, intervalSeconds: 1 } });

    await waitFor(async () => (await storedSnapshotCount(databaseUrl)) >= 25, 60_000, 'the first snapshots');
    const storedBeforeKill = await storedSnapshotCount(databaseUrl);
    await server.stop('SIGKILL');
    // Down for as long as a restart takes: the collectors meet refused connections and spool.
    restarted = await startAppServer(serverOptions);
    expect(restarted.url).toBe(server.url);

    const report = await load.finish();
    load = null;
    const counts = await countStored(databaseUrl, report.sent);
    const totals = counts.reduce(
      (sum, count) => ({ sent: sum.sent + count.sent, stored: sum.stored + count.stored, duplicates: sum.duplicates + count.duplicates, lost: sum.lost + count.lost, unexpected: sum.unexpected + count.unexpected }),
      { sent: 0, stored: 0, duplicates: 0, lost: 0, unexpected: 0 },
    );
    console.log(`[fault: server SIGKILL] stored before the kill: ${storedBeforeKill}; ${JSON.stringify(totals)} per host ${JSON.stringify(counts)} collector retries ${JSON.stringify(report.retryReasons)}, replays answered 200: ${report.replays}`);

    expect(report.collectorOutput).not.toMatch(/ lost |server refused/);
    // Neither the collectors nor the server ever print a host token, whatever went wrong.
    for (const token of [cliToken, ...synthetic.map((collector) => collector.token)]) {
      expect(report.collectorOutput.includes(token)).toBe(false);
      expect(restarted.output().includes(token) || server.output().includes(token)).toBe(false);
    }
    expect(Object.keys(report.retryReasons).some((reason) => /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|fetch failed|other side closed/.test(reason))).toBe(true);
    const unexpected = /unexpected error[\s\S]{0,2500}/.exec(restarted.output())?.[0];
    expect(Object.keys(report.retryReasons).filter((reason) => /HTTP 5\d\d/.test(reason) && reason !== 'HTTP 503'), unexpected).toEqual([]);
    expect(restarted.output()).not.toMatch(/unexpected error/);
    expect(totals.sent).toBeGreaterThanOrEqual(180);
    expect(totals).toMatchObject({ stored: totals.sent, duplicates: 0, lost: 0, unexpected: 0 });
  }, 300_000);
});
