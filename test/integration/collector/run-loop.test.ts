// Drives the real `run` loop against a real HTTP server that goes down, fails, slows and refuses.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '@/lib/schemas/snapshot';
import { finishSnapshot } from '@/collector/build-snapshot';
import { createLogger } from '@/collector/log';
import { type RunLoopOptions, runCollector } from '@/collector/run-loop';
import { Spool } from '@/collector/spool';
import { waitFor } from '@/test/helpers/wait-for';
import { SnapshotServer } from './snapshot-server';

const token = 'sst_integration_token_5f4e3d';

let server: SnapshotServer;
let spoolDir: string;
let logLines: string[];
let collectedKeys: string[];

beforeEach(async () => {
  server = await SnapshotServer.start(token);
  spoolDir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-run-'));
  logLines = [];
  collectedKeys = [];
});

afterEach(async () => {
  await server.close().catch(() => {});
  rmSync(spoolDir, { recursive: true, force: true });
});

/** A small, valid snapshot per call; its key is remembered in collection order. */
async function collect(): Promise<Snapshot> {
  const snapshot = finishSnapshot(
    { host: { name: 'web-01', os: 'Linux test' }, sockets: [] },
    { collectedAt: new Date(), idempotencySuffix: String(collectedKeys.length).padStart(4, '0') },
  );
  collectedKeys.push(snapshot.idempotencyKey);
  return snapshot;
}

async function startLoop(overrides: Partial<RunLoopOptions> = {}) {
  const stop = new AbortController();
  const spool = await Spool.open({ dir: spoolDir });
  const done = runCollector({
    server: server.url,
    token,
    intervalMs: 200,
    timeoutMs: 2_000,
    once: false,
    spool,
    collect,
    log: createLogger({ secrets: [token], write: (line) => logLines.push(line) }),
    stopSignal: stop.signal,
    backoff: { baseMs: 50, capMs: 400 },
    ...overrides,
  });
  return { spool, stop: () => stop.abort(), done };
}

async function spooledKeys(spool: Spool): Promise<string[]> {
  const entries = await spool.list();
  return Promise.all(entries.map(async (entry) => (JSON.parse((await spool.read(entry)) ?? '{}') as Snapshot).idempotencyKey));
}

function keysInArrivalOrder(): string[] {
  return server.received.map((request) => request.idempotencyKey ?? '?');
}

describe('run loop against a server that goes away', () => {
  it('spools while the server is stopped and replays every snapshot exactly once, in order, on restart', async () => {
    const loop = await startLoop();
    await waitFor('three snapshots delivered', () => server.storedKeys.length >= 3);

    await server.stop();
    const storedBeforeOutage = server.storedKeys.length;
    await waitFor('four snapshots spooled', async () => (await loop.spool.list()).length >= 4);

    await server.restart();
    const collectedBeforeRestart = collectedKeys.length;
    await waitFor('the spool replayed', () => server.storedKeys.length >= collectedBeforeRestart);
    await waitFor('the spool empty', async () => (await loop.spool.list()).length === 0);
    loop.stop();
    const summary = await loop.done;

    expect(summary.exitCode).toBe(0);
    expect(collectedBeforeRestart - storedBeforeOutage).toBeGreaterThanOrEqual(4);
    // Nothing lost, nothing twice: what the server stored plus what still waits is everything collected.
    const remaining = await spooledKeys(loop.spool);
    expect([...server.storedKeys, ...remaining]).toEqual(collectedKeys);
    expect(remaining.length).toBeLessThanOrEqual(1);
    expect(new Set(keysInArrivalOrder()).size).toBe(server.received.length);
    expect(keysInArrivalOrder()).toEqual(server.storedKeys);
    expect(server.received.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
    expect(logLines.join('')).toMatch(/could not send \(ECONNREFUSED\); \d+ snapshot\(s\) kept in/);
    expect(logLines.join('')).not.toContain(token);
  });

  it('retries through 503 and 429 answers with the same keys, and stores each snapshot once', async () => {
    server.mode = '503';
    const loop = await startLoop();
    await waitFor('three snapshots spooled behind 503s', async () => (await loop.spool.list()).length >= 3);
    server.mode = '429';
    await waitFor('a 429 answered', () => server.received.some((request) => request.status === 429));
    server.mode = 'up';
    const collectedBeforeRecovery = collectedKeys.length;
    await waitFor('the spool replayed', () => server.storedKeys.length >= collectedBeforeRecovery);
    loop.stop();
    await loop.done;

    const remaining = await spooledKeys(loop.spool);
    expect([...server.storedKeys, ...remaining]).toEqual(collectedKeys);
    const firstKey = collectedKeys[0];
    expect(server.received.filter((request) => request.idempotencyKey === firstKey).map((request) => request.status)).toContain(503);
    // Retries never skip ahead: every request carried the oldest key not yet stored.
    const attemptedOrder = keysInArrivalOrder().filter((key, index, all) => all.indexOf(key) === index);
    expect(attemptedOrder).toEqual(collectedKeys.slice(0, attemptedOrder.length));
  });

  it('spools a POST that times out, and the replay with its original key is answered 200', async () => {
    server.mode = 'slow';
    server.slowMs = 1_000;
    const loop = await startLoop({ timeoutMs: 300, intervalMs: 60_000 });
    await waitFor('the first attempt to time out', () => logLines.some((line) => line.includes('no answer within 300 ms')));
    expect(await spooledKeys(loop.spool)).toEqual([collectedKeys[0]]);
    server.mode = 'up';
    await waitFor('the spool replayed', async () => (await loop.spool.list()).length === 0);
    // The first, slow request is still being handled; once it is, the server holds the key twice over.
    await waitFor('the slow request answered', () => server.received.length >= 2);
    loop.stop();
    await loop.done;
    expect(server.storedKeys).toEqual([collectedKeys[0]]);
    expect(server.received.map((request) => request.status)).toContain(200);
  });
});

describe('run --once against a server that refuses', () => {
  it('does not retry a 400: logs the answer, keeps the snapshot in rejected/, exits non-zero', async () => {
    server.mode = 'reject400';
    const loop = await startLoop({ once: true });
    const summary = await loop.done;

    expect(summary.exitCode).not.toBe(0);
    expect(server.received).toHaveLength(1);
    expect(await loop.spool.list()).toEqual([]);
    const rejected = readdirSync(path.join(spoolDir, 'rejected')).sort();
    expect(rejected).toHaveLength(2);
    const snapshotFile = rejected.find((name) => name.endsWith('.json'))!;
    expect(JSON.parse(readFileSync(path.join(spoolDir, 'rejected', snapshotFile), 'utf8')).idempotencyKey).toBe(collectedKeys[0]);
    const log = logLines.join('');
    expect(log).toMatch(/HTTP 400 \{"error":"invalid snapshot","issues":\["sockets\.0\.localPort"\]\}/);
    expect(log).not.toContain(token);

    // A later run sends only its own snapshot: the refused one is never resent.
    server.mode = 'up';
    const next = await startLoop({ once: true });
    expect((await next.done).exitCode).toBe(0);
    expect(server.storedKeys).toEqual([collectedKeys[1]]);
  });

  it('exits 0 with the snapshot spooled when the server is down', async () => {
    await server.stop();
    const loop = await startLoop({ once: true });
    expect((await loop.done).exitCode).toBe(0);
    expect(await spooledKeys(loop.spool)).toEqual(collectedKeys);
  });

  it('moves a 401 aside without resending it (a wrong token must be fixed, not hammered)', async () => {
    const loop = await startLoop({ once: true, token: 'wrong-token-value' });
    expect((await loop.done).exitCode).toBe(1);
    expect(server.received.map((request) => request.status)).toEqual([401]);
    expect(logLines.join('')).not.toContain('wrong-token-value');
  });

  it('frees memory between snapshots on its schedule, never in a --once run', async () => {
    const released: number[] = [];
    const loop = await startLoop({ beforeSleep: () => released.push(server.storedKeys.length) });
    await waitFor('three snapshots delivered', () => server.storedKeys.length >= 3);
    loop.stop();
    await loop.done;
    // Once after each snapshot sent, before the loop sleeps until the next.
    expect(released).toContain(1);
    expect(released).toContain(2);

    let releasedOnce = 0;
    const once = await startLoop({ once: true, beforeSleep: () => (releasedOnce += 1) });
    expect((await once.done).exitCode).toBe(0);
    expect(releasedOnce).toBe(0);
  });
});
