import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@/collector/log';
import { Spool, spoolEntryName } from '@/collector/spool';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function snapshotAt(iso: string, key: string) {
  return { collectedAt: iso, idempotencyKey: key };
}

function bodyOf(key: string, bytes = 0) {
  return JSON.stringify({ idempotencyKey: key, pad: 'x'.repeat(bytes) });
}

describe('spool ordering', () => {
  it('lists entries in collection order, whatever order they were added in', async () => {
    const spool = await Spool.open({ dir });
    await spool.add(snapshotAt('2026-11-21T10:00:02.000Z', 'h-3'), bodyOf('h-3'));
    await spool.add(snapshotAt('2026-11-21T09:59:59.999Z', 'h-1'), bodyOf('h-1'));
    await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', 'h-2'), bodyOf('h-2'));
    const entries = await spool.list();
    expect(await Promise.all(entries.map(async (entry) => JSON.parse((await spool.read(entry))!).idempotencyKey))).toEqual(['h-1', 'h-2', 'h-3']);
  });

  it('keeps lexical order equal to time order across digit-count changes', () => {
    const early = spoolEntryName('2001-09-09T01:46:39.999Z', 'a', 0); // 999999999999 ms: 12 digits
    const late = spoolEntryName('2001-09-09T01:46:40.000Z', 'a', 0); // 1000000000000 ms: 13 digits
    expect([late, early].sort()).toEqual([early, late]);
  });

  it('keeps add order for snapshots collected in the same millisecond', async () => {
    const spool = await Spool.open({ dir });
    for (const key of ['z-first', 'a-second', 'm-third']) await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', key), bodyOf(key));
    expect((await spool.list()).map((entry) => entry.name.split('-').slice(2).join('-'))).toEqual(['z-first.json', 'a-second.json', 'm-third.json']);
  });
});

describe('spool atomicity', () => {
  it('stores the exact body, private to the owner, with no temp file left behind', async () => {
    const spool = await Spool.open({ dir });
    const body = bodyOf('h-1', 10_000);
    const entry = await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', 'h-1'), body);
    expect(readFileSync(entry.path, 'utf8')).toBe(body);
    expect(statSync(entry.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('never lists a half-written temp file, and sweeps stale ones left by a crash', async () => {
    const stale = path.join(dir, '.tmp-deadbeef-000001763719200000-000000-h-1.json');
    const fresh = path.join(dir, '.tmp-cafebabe-000001763719200000-000001-h-2.json');
    writeFileSync(stale, '{"half":');
    writeFileSync(fresh, '{"half":');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    const spool = await Spool.open({ dir });
    expect(await spool.list()).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([path.basename(fresh), 'rejected']);
  });

  it('survives many concurrent adds with every file whole', async () => {
    const spool = await Spool.open({ dir });
    const keys = Array.from({ length: 40 }, (_, index) => `h-${index}`);
    await Promise.all(keys.map((key, index) => spool.add(snapshotAt(new Date(1_763_719_200_000 + index).toISOString(), key), bodyOf(key, 2_000))));
    const entries = await spool.list();
    expect(entries).toHaveLength(40);
    for (const [index, entry] of entries.entries()) expect(JSON.parse((await spool.read(entry))!).idempotencyKey).toBe(keys[index]);
  });

  it('reads a removed entry as null (another process delivered it)', async () => {
    const spool = await Spool.open({ dir });
    const entry = await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', 'h-1'), bodyOf('h-1'));
    await spool.remove(entry);
    expect(await spool.read(entry)).toBeNull();
    await expect(spool.remove(entry)).resolves.toBeUndefined();
  });
});

describe('spool bounds', () => {
  it('drops the oldest first when over the file count, counting and logging the drops', async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    const spool = await Spool.open({ dir, maxFiles: 3, log });
    for (let index = 1; index <= 5; index++) {
      await spool.add(snapshotAt(new Date(Date.UTC(2026, 10, 21, 10, 0, index)).toISOString(), `h-${index}`), bodyOf(`h-${index}`));
    }
    expect((await spool.list()).map((entry) => entry.name.slice(-8))).toEqual(['h-3.json', 'h-4.json', 'h-5.json']);
    expect(await spool.dropCounts()).toEqual({ dropped: 2, rejectedDropped: 0 });
    expect(lines.join('')).toMatch(/dropped 1 oldest snapshot\(s\) .*h-2\.json.*; 2 dropped in total/);
  });

  it('drops the oldest first when over the byte bound, and the counter survives a restart', async () => {
    const spool = await Spool.open({ dir, maxBytes: 2_500 });
    for (let index = 1; index <= 4; index++) {
      await spool.add(snapshotAt(new Date(Date.UTC(2026, 10, 21, 10, 0, index)).toISOString(), `h-${index}`), bodyOf(`h-${index}`, 1_000));
    }
    const entries = await spool.list();
    expect(entries.map((entry) => entry.name.slice(-8))).toEqual(['h-3.json', 'h-4.json']);
    expect(entries.reduce((sum, entry) => sum + entry.bytes, 0)).toBeLessThanOrEqual(2_500);
    const reopened = await Spool.open({ dir, maxBytes: 2_500 });
    expect((await reopened.dropCounts()).dropped).toBe(2);
  });

  it('keeps the newest snapshot even when it alone is over the byte bound', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1_024 });
    await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', 'h-1'), bodyOf('h-1', 100));
    await spool.add(snapshotAt('2026-11-21T10:00:01.000Z', 'h-2'), bodyOf('h-2', 5_000));
    expect((await spool.list()).map((entry) => entry.name.slice(-8))).toEqual(['h-2.json']);
  });
});

describe('rejected snapshots', () => {
  it('moves them to rejected/ with the server answer beside them', async () => {
    const spool = await Spool.open({ dir });
    const entry = await spool.add(snapshotAt('2026-11-21T10:00:00.000Z', 'h-1'), bodyOf('h-1'));
    await spool.reject(entry, { status: 400, body: '{"error":"sockets.0.localPort: too big"}' });
    expect(await spool.list()).toEqual([]);
    const rejected = await spool.listRejected();
    expect(rejected.map((item) => item.name)).toEqual([entry.name]);
    const reason = JSON.parse(readFileSync(path.join(dir, 'rejected', entry.name.replace('.json', '.reason.txt')), 'utf8'));
    expect(reason).toMatchObject({ status: 400, body: '{"error":"sockets.0.localPort: too big"}' });
  });

  it('bounds rejected/ too, counting those drops separately', async () => {
    const spool = await Spool.open({ dir, maxFiles: 2 });
    for (let index = 1; index <= 3; index++) {
      const entry = await spool.add(snapshotAt(new Date(Date.UTC(2026, 10, 21, 10, 0, index)).toISOString(), `h-${index}`), bodyOf(`h-${index}`));
      await spool.reject(entry, { status: 401, body: 'unauthorized' });
    }
    expect((await spool.listRejected()).map((entry) => entry.name.slice(-8))).toEqual(['h-2.json', 'h-3.json']);
    expect(readdirSync(path.join(dir, 'rejected')).filter((name) => name.endsWith('.reason.txt'))).toHaveLength(2);
    expect(await spool.dropCounts()).toEqual({ dropped: 0, rejectedDropped: 1 });
  });
});
