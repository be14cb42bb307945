// After an outage a collector's spool replays at the server's pace: with the default settings, 300
// snapshots spooled while the server was away (five minutes of a 1-second collector) all arrive,
// once and in order, many a second — told to wait (429) at most once a second of replay. With the
// old default (120 a minute) every post past the 120th was refused until the minute turned, and the
// backlog drained slower than a 1-second collector produces.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spool } from '@/collector/spool';
import { call, enrollHost, signInAdmin, type BrowserSession } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { listener, makeSnapshot } from '@/test/helpers/snapshots';

const BACKLOG = 300;
let server: AppServer;
let admin: BrowserSession;
let spoolDir: string;

beforeAll(async () => {
  server = await startAppServer();
  admin = await signInAdmin(server);
  spoolDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-replay-'));
});
afterAll(async () => {
  await server?.dispose();
  await rm(spoolDir, { recursive: true, force: true });
});

describe('replay after an outage', () => {
  it(`sends a backlog of ${BACKLOG} spooled snapshots once each, in order, at the server's pace`, async () => {
    const token = await enrollHost(server, admin, 'back-online');
    const spool = await Spool.open({ dir: spoolDir });
    const start = Date.now() - BACKLOG * 1000;
    const keys: string[] = [];
    for (let index = 0; index < BACKLOG; index += 1) {
      // Every tenth second a listener comes or goes, as on a host that changes.
      const sockets = [listener(22, 'sshd'), ...(Math.floor(index / 10) % 2 === 1 ? [listener(8080, 'java')] : [])];
      const snapshot = makeSnapshot('back-online', {
        sockets,
        collectedAt: new Date(start + index * 1000).toISOString(),
        idempotencyKey: `back-online-${start + index * 1000}`,
      });
      keys.push(snapshot.idempotencyKey);
      await spool.add(snapshot, JSON.stringify(snapshot));
    }
    // The collector's real run loop (test/helpers/load-collector.ts) comes back: it replays its spool
    // between its own snapshots, two more of them, then delivers what is left.
    const keysFile = path.join(spoolDir, 'keys.txt');
    const result = await runProcess([
      '--import',
      'tsx',
      'test/helpers/load-collector.ts',
      '--server',
      server.url,
      '--token',
      token,
      '--host',
      'back-online',
      '--spool',
      spoolDir,
      '--keys-file',
      keysFile,
      '--count',
      '2',
      '--interval-ms',
      '3000',
    ]);
    expect(result.code, result.output).toBe(0);
    expect(await spool.list()).toEqual([]);

    const stored = await call(server, admin, 'GET', '/api/v1/hosts/back-online/snapshots?limit=1000');
    const ids = (stored.body.snapshots as { id: string }[]).map((snapshot) => BigInt(snapshot.id));
    expect(ids).toHaveLength(BACKLOG + 2);
    // Newest first, so ids strictly falling: stored once each, in the order collected.
    expect(ids.every((id, index) => index === 0 || id < ids[index - 1]!)).toBe(true);
    const metrics = await call(server, { kind: 'anonymous' }, 'GET', '/metrics');
    const toldToWait = Number(/sockscope_snapshots_total\{outcome="rejected",status="429"\} (\d+)/.exec(metrics.text)?.[1] ?? '0');
    expect(toldToWait).toBeLessThan(BACKLOG / 10);
  }, 300_000);
});

function runProcess(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}
