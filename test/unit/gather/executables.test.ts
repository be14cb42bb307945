import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventLoopBudget } from '../../../collector/gather/linux/event-loop-budget';
import { ExecutableHashCache, type ExecutableToHash } from '../../../collector/gather/linux/executable-hashes';
import { executableKey, readExecutable } from '../../../collector/gather/linux/executables';

// A /proc of our own making: PID/exe links to files in a temporary directory.
const root = mkdtempSync(join(tmpdir(), 'sockscope-executables-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const procRoot = join(root, 'proc');
const binaries = join(root, 'bin');
mkdirSync(binaries);

function binary(name: string, content: Buffer | string): string {
  const path = join(binaries, name);
  writeFileSync(path, content);
  return path;
}

function process(pid: number, exeTarget: string | null): void {
  mkdirSync(join(procRoot, String(pid)), { recursive: true });
  if (exeTarget !== null) symlinkSync(exeTarget, join(procRoot, String(pid), 'exe'));
}

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
// Our temporary directory is on a local file system; whether one is, is filesystems.ts's to tell.
const local = () => true;
const roomyEventLoop = () => createEventLoopBudget(60_000);

function toHash(pid: number): ExecutableToHash {
  const file = readExecutable(procRoot, pid, local).file;
  if (file === null) throw new Error(`pid ${pid} has no readable executable`);
  return { ...file, paths: [join(procRoot, String(pid), 'exe')] };
}

describe('readExecutable', () => {
  const daemon = binary('daemon', 'daemon binary');
  process(10, daemon);
  process(11, `${binary('odd (deleted)', 'named so on purpose')}`);
  process(12, join(binaries, 'gone (deleted)'));
  process(13, null);

  it('names the executable, not deleted, with a cache key of its file', () => {
    const stats = statSync(daemon, { bigint: true });
    expect(readExecutable(procRoot, 10, local)).toEqual({ exe: daemon, exeDeleted: false, file: { key: executableKey(stats), size: 13 } });
  });

  it("keeps a name that really ends in ' (deleted)' when the file is there", () => {
    expect(readExecutable(procRoot, 11, local)).toMatchObject({ exe: join(binaries, 'odd (deleted)'), exeDeleted: false });
  });

  it("flags the kernel's ' (deleted)' on a file that is gone, and drops the suffix from the path", () => {
    expect(readExecutable(procRoot, 12, local)).toEqual({ exe: join(binaries, 'gone'), exeDeleted: true, file: null });
  });

  it('does not look at an executable on FUSE or a network file system: path and suffix only', () => {
    expect(readExecutable(procRoot, 10, () => false)).toEqual({ exe: daemon, exeDeleted: false, file: null });
    expect(readExecutable(procRoot, 12, () => false)).toEqual({ exe: join(binaries, 'gone'), exeDeleted: true, file: null });
  });

  it('is null throughout when the link cannot be read (kernel thread, zombie, no permission)', () => {
    expect(readExecutable(procRoot, 13, local)).toEqual({ exe: null, exeDeleted: null, file: null });
  });
});

describe('ExecutableHashCache', () => {
  const small = Buffer.alloc(1000, 1);
  const medium = Buffer.alloc(300_000, 2);
  const large = Buffer.alloc(2_500_000, 3);
  process(20, binary('small', small));
  process(21, binary('medium', medium));
  process(22, binary('large', large));

  it('hashes the smallest binaries first and stops once past the byte budget; the next snapshot goes on', async () => {
    const cache = new ExecutableHashCache();
    const files = [toHash(22), toHash(21), toHash(20)];
    // The budget is checked between reads of at most 1 MiB: the read that crosses it still counts.
    const budget = { maxBytes: 500, maxMilliseconds: 60_000 };
    const first = await cache.hashWithinBudget(files, budget, roomyEventLoop());
    expect(first).toMatchObject({ filesHashed: 1, filesPending: 2 });
    expect(cache.digestOf(toHash(20).key)).toBe(sha256(small));
    expect(cache.digestOf(toHash(21).key)).toBeNull();

    await cache.hashWithinBudget(files, budget, roomyEventLoop());
    expect(cache.digestOf(toHash(21).key)).toBe(sha256(medium));
  });

  it('resumes a file larger than the budget where it stopped, until its digest is whole', async () => {
    const cache = new ExecutableHashCache();
    const files = [toHash(22)];
    const budget = { maxBytes: 1_000_000, maxMilliseconds: 60_000 };
    let rounds = 0;
    while (cache.digestOf(files[0]!.key) === null && rounds < 10) {
      await cache.hashWithinBudget(files, budget, roomyEventLoop());
      rounds += 1;
    }
    expect(rounds).toBe(3);
    expect(cache.digestOf(files[0]!.key)).toBe(sha256(large));
  });

  it('does nothing for binaries it already knows', async () => {
    const cache = new ExecutableHashCache();
    const files = [toHash(20)];
    await cache.hashWithinBudget(files, { maxBytes: 1 << 20, maxMilliseconds: 60_000 }, roomyEventLoop());
    expect(await cache.hashWithinBudget(files, { maxBytes: 1 << 20, maxMilliseconds: 60_000 }, roomyEventLoop())).toMatchObject({
      bytesHashed: 0,
      filesHashed: 0,
      filesPending: 0,
    });
  });

  it('hashes nothing when the file behind the link is no longer the one listed', async () => {
    const cache = new ExecutableHashCache();
    process(23, binary('replaced', 'first build'));
    const listed = toHash(23);
    writeFileSync(join(binaries, 'replaced'), 'second build, longer');
    await cache.hashWithinBudget([listed], { maxBytes: 1 << 20, maxMilliseconds: 60_000 }, roomyEventLoop());
    expect(cache.digestOf(listed.key)).toBeNull();
  });

  it('leaves a binary it cannot open without a digest', async () => {
    const cache = new ExecutableHashCache();
    const report = await cache.hashWithinBudget(
      [{ key: 'gone', size: 10, paths: [join(procRoot, '99999', 'exe')] }],
      { maxBytes: 1 << 20, maxMilliseconds: 60_000 },
      roomyEventLoop(),
    );
    expect(report).toMatchObject({ filesHashed: 0, filesPending: 1 });
  });

  it('remembers a bounded number of digests, forgetting the least recently used', async () => {
    const cache = new ExecutableHashCache(2);
    const budget = { maxBytes: 1 << 24, maxMilliseconds: 60_000 };
    await cache.hashWithinBudget([toHash(20), toHash(21)], budget, roomyEventLoop());
    expect(cache.digestOf(toHash(20).key)).not.toBeNull();
    await cache.hashWithinBudget([toHash(22)], budget, roomyEventLoop());
    expect(cache.size).toBe(2);
    expect(cache.digestOf(toHash(21).key)).toBeNull();
    expect(cache.digestOf(toHash(20).key)).toBe(sha256(small));
  });
});
