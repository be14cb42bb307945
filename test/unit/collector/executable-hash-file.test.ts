// One-shot runs (`snapshot`, `run --once`) keep their executable digests in the cache directory: a
// run after the first reports the digests earlier runs made without hashing again, and leaves
// alone a binary it could not finish anyway.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCacheFile } from '@/collector/cache-files';
import { createEventLoopBudget } from '@/collector/gather/linux/event-loop-budget';
import { loadExecutableHashCache, saveExecutableHashCache } from '@/collector/gather/linux/executable-hash-file';
import { ExecutableHashCache, ONE_SHOT_HASH_BUDGET, type ExecutableToHash } from '@/collector/gather/linux/executable-hashes';
import { executableKey } from '@/collector/gather/linux/executables';

const root = mkdtempSync(join(tmpdir(), 'sockscope-hash-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'bin'));

function binary(name: string, content: Buffer): ExecutableToHash {
  const path = join(root, 'bin', name);
  writeFileSync(path, content);
  const stats = statSync(path, { bigint: true });
  return { key: executableKey(stats), size: content.length, paths: [path] };
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const roomyEventLoop = () => createEventLoopBudget(60_000);
const nothingToSpend = { maxBytes: 0, maxMilliseconds: 0, resumesLargeFiles: false };
const daemonContent = Buffer.alloc(4000, 7);
const daemon = binary('daemon', daemonContent);
const tool = binary('tool', Buffer.alloc(500, 8));

describe('executable digests kept between runs', () => {
  it('gives the next run the digests of the binaries the last one ran, without hashing them again', async () => {
    const directory = join(root, 'kept');
    const first = loadExecutableHashCache(directory);
    await first.hashWithinBudget([daemon, tool], ONE_SHOT_HASH_BUDGET, roomyEventLoop());
    saveExecutableHashCache(directory, first);

    const next = loadExecutableHashCache(directory);
    const report = await next.hashWithinBudget([daemon, tool], nothingToSpend, roomyEventLoop());
    expect(report).toMatchObject({ bytesHashed: 0, filesPending: 0 });
    expect(next.digestOf(daemon.key)).toBe(sha256(daemonContent));
  });

  it('keeps only the binaries of the last snapshot, and writes nothing when nothing changed', async () => {
    const directory = join(root, 'latest');
    const cache = loadExecutableHashCache(directory);
    await cache.hashWithinBudget([daemon, tool], ONE_SHOT_HASH_BUDGET, roomyEventLoop());
    saveExecutableHashCache(directory, cache);
    await cache.hashWithinBudget([daemon], ONE_SHOT_HASH_BUDGET, roomyEventLoop());
    saveExecutableHashCache(directory, cache);
    expect(loadExecutableHashCache(directory).size).toBe(2);
    const changed = binary('changed', Buffer.alloc(100, 9));
    await cache.hashWithinBudget([daemon, changed], ONE_SHOT_HASH_BUDGET, roomyEventLoop());
    saveExecutableHashCache(directory, cache);
    const kept = loadExecutableHashCache(directory);
    expect([kept.digestOf(daemon.key) !== null, kept.digestOf(tool.key) !== null, kept.digestOf(changed.key) !== null]).toEqual([true, false, true]);
  });

  it('does not start, in a one-shot run, a binary that the speed measured earlier says it cannot finish', async () => {
    const cache = new ExecutableHashCache();
    cache.restore({ digests: [], bytesPerMillisecond: 100 });
    const report = await cache.hashWithinBudget(
      [binary('big', Buffer.alloc(2_000_000, 1))],
      { ...ONE_SHOT_HASH_BUDGET, maxMilliseconds: 10 },
      roomyEventLoop(),
    );
    expect(report).toMatchObject({ bytesHashed: 0, filesHashed: 0, filesPending: 1 });
    const daemonRun = await cache.hashWithinBudget(
      [binary('big', Buffer.alloc(2_000_000, 1))],
      { maxBytes: 1 << 20, maxMilliseconds: 60_000 },
      roomyEventLoop(),
    );
    expect(daemonRun.bytesHashed).toBeGreaterThan(0);
  });

  it('starts over from an unreadable, damaged or foreign file', async () => {
    const directory = join(root, 'damaged');
    const cache = loadExecutableHashCache(directory);
    await cache.hashWithinBudget([daemon], ONE_SHOT_HASH_BUDGET, roomyEventLoop());
    saveExecutableHashCache(directory, cache);
    const file = join(directory, 'executable-hashes.json');
    writeFileSync(file, readFileSync(file).subarray(0, 50));
    expect(loadExecutableHashCache(directory).size).toBe(0);
    writeCacheFile(
      directory,
      'executable-hashes.json',
      Buffer.from(
        JSON.stringify({
          digests: [
            ['not a key', 'x'],
            [daemon.key, 'f'.repeat(64)],
          ],
        }),
      ),
    );
    expect(loadExecutableHashCache(directory).digestOf(daemon.key)).toBe('f'.repeat(64));
    expect(loadExecutableHashCache(directory).size).toBe(1);
    expect(loadExecutableHashCache(null).size).toBe(0);
  });
});
