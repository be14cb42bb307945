// SIGTERM against the real CLI process: the POST in flight is finished or spooled, then exit 0.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { Spool } from '@/collector/spool';
import { waitFor } from '@/test/helpers/wait-for';
import { startCli } from './cli-process';
import { SnapshotServer } from './snapshot-server';

const token = 'sst_shutdown_token_0a1b2c3d';
let server: SnapshotServer;
let spoolDir: string;

beforeEach(async () => {
  server = await SnapshotServer.start(token);
  spoolDir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-sigterm-'));
});

afterEach(async () => {
  await server.close();
  rmSync(spoolDir, { recursive: true, force: true });
});

function startRun() {
  return startCli(['run', '--server', server.url, '--interval', '60', '--spool-dir', spoolDir], { SOCKSCOPE_TOKEN: token });
}

async function spooledKeys(): Promise<string[]> {
  const spool = await Spool.open({ dir: spoolDir });
  const entries = await spool.list();
  return Promise.all(entries.map(async (entry) => (JSON.parse((await spool.read(entry))!) as Snapshot).idempotencyKey));
}

describe('run under SIGTERM', () => {
  it('spools the snapshot whose POST is still unanswered after the grace period, and exits 0', async () => {
    server.mode = 'slow';
    server.slowMs = 30_000;
    const cli = startRun();
    await waitFor('the POST to be in flight', () => server.inFlight > 0, 30_000);
    cli.child.kill('SIGTERM');
    const finished = await cli.finished;

    expect(finished.code).toBe(0);
    const keys = await spooledKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9._-]+-\d{13}-[0-9a-f]{8}$/);
    expect(finished.stderr).toMatch(/SIGTERM: finishing the send in flight/);
    expect(finished.stderr).not.toContain(token);
  });

  it('lets a POST answered within the grace period finish, leaving nothing spooled', async () => {
    server.mode = 'slow';
    server.slowMs = 1_000;
    const cli = startRun();
    await waitFor('the POST to be in flight', () => server.inFlight > 0, 30_000);
    cli.child.kill('SIGTERM');
    const finished = await cli.finished;

    expect(finished.code).toBe(0);
    expect(server.storedKeys).toHaveLength(1);
    expect(await spooledKeys()).toEqual([]);
  });
});
