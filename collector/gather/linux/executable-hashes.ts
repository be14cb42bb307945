// SHA-256 of every running executable, paid once per binary: digests are cached by the file's
// (device, inode, size, mtime, ctime), and each snapshot hashes at most a budget of bytes and time,
// so a host with thousands of binaries is never slowed down. A file the budget cut short is resumed
// where it stopped at the next snapshot.
import type { Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { monotonicMilliseconds, type EventLoopBudget } from './event-loop-budget';
import { executableKey } from './executables';

export interface HashBudget {
  /** Bytes read and hashed per snapshot; checked between reads, so one read (1 MiB at most) may cross it. */
  maxBytes: number;
  /** Milliseconds spent hashing per snapshot at most (a cold disk reads slower than memory). */
  maxMilliseconds: number;
  /**
   * false for a one-shot run, which keeps no half-read file for the next: a binary it could not
   * finish within the budget (larger than maxBytes, or than the hashing speed measured earlier
   * allows in the time left) is not started. true when absent.
   */
  resumesLargeFiles?: boolean;
}

/** What a file of digests keeps between runs (executable-hash-file.ts). */
export interface KeptDigests {
  /** The digests of the binaries the last snapshot ran. */
  digests: Array<[key: string, digest: string]>;
  bytesPerMillisecond: number | null;
}

/**
 * 16 MiB and 10 ms per snapshot: about 6 ms of SHA-256 on a current x86 core when the file is in
 * the page cache. A first snapshot finishes the small binaries at once; the large ones (node alone
 * is ~100 MB) take a few more intervals. A one-shot `snapshot` pays at most this much for hashing.
 */
export const DEFAULT_HASH_BUDGET: HashBudget = { maxBytes: 16 * 1024 * 1024, maxMilliseconds: 10 };
/** The same for a run that keeps no half-read file: it starts only binaries it can finish. */
export const ONE_SHOT_HASH_BUDGET: HashBudget = { ...DEFAULT_HASH_BUDGET, resumesLargeFiles: false };
/** Distinct binaries remembered; a host runs far fewer at once, so eviction only drops ones that went away. */
const DEFAULT_MAX_CACHED_DIGESTS = 8192;
/** Files cut short and waiting to be resumed: each holds only the hash's internal state. */
const MAX_PARTIAL_HASHES = 8;
const CHUNK_BYTES = 1024 * 1024;
/** Hashing less than this says little about the speed (opening each file weighs too much). */
const MIN_BYTES_TO_MEASURE_SPEED = 1024 * 1024;

/** One binary to hash and the /proc/PID/exe links that open it (any process running it will do). */
export interface ExecutableToHash {
  key: string;
  size: number;
  paths: string[];
}

/** What the last snapshot's hashing did, for the benchmark. */
export interface HashingReport {
  bytesHashed: number;
  filesHashed: number;
  /** Binaries still without a digest when the budget ran out. */
  filesPending: number;
  milliseconds: number;
}

interface PartialHash {
  hash: Hash;
  offset: number;
}

let chunkBuffer: Buffer | undefined;

/** An errno from the kernel (EIO from a failing disk included), as opposed to a bug of ours. */
function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | null)?.code === 'string';
}

/** Opens the first path that still leads to the file with this key; the descriptor pins it while we read. */
function openMatching(file: ExecutableToHash): number | null {
  for (const path of file.paths) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if (isSystemError(error)) continue;
      throw error;
    }
    if (executableKey(fstatSync(fd, { bigint: true })) === file.key) return fd;
    closeSync(fd);
  }
  return null;
}

export class ExecutableHashCache {
  private readonly digests = new Map<string, string>();
  private readonly partials = new Map<string, PartialHash>();
  /** The binaries the last snapshot ran, and whether anything worth keeping changed since takeChangesToKeep. */
  private lastSnapshotKeys: readonly string[] = [];
  private hasChanged = false;
  /** SHA-256 speed the last snapshot that hashed enough measured, reads included; null until then. */
  private bytesPerMillisecond: number | null = null;
  lastReport: HashingReport = { bytesHashed: 0, filesHashed: 0, filesPending: 0, milliseconds: 0 };

  constructor(private readonly maxDigests: number = DEFAULT_MAX_CACHED_DIGESTS) {}

  /** Takes what an earlier run kept (executable-hash-file.ts), trusted as it is. */
  restore(kept: KeptDigests): void {
    for (const [key, digest] of kept.digests) this.remember(key, digest);
    this.bytesPerMillisecond = kept.bytesPerMillisecond;
  }

  /** What a later run should start from; null when nothing changed since the last call. */
  takeChangesToKeep(): KeptDigests | null {
    if (!this.hasChanged) return null;
    this.hasChanged = false;
    const digests = this.lastSnapshotKeys.flatMap((key) => {
      const digest = this.digests.get(key);
      return digest === undefined ? [] : [[key, digest] as [string, string]];
    });
    return { digests, bytesPerMillisecond: this.bytesPerMillisecond };
  }

  /** The cached digest, kept as recently used. */
  digestOf(key: string): string | null {
    const digest = this.digests.get(key);
    if (digest === undefined) return null;
    this.digests.delete(key);
    this.digests.set(key, digest);
    return digest;
  }

  get size(): number {
    return this.digests.size;
  }

  private remember(key: string, digest: string): void {
    this.digests.set(key, digest);
    if (this.digests.size > this.maxDigests) this.digests.delete(this.digests.keys().next().value as string);
  }

  private keepPartial(key: string, partial: PartialHash): void {
    this.partials.delete(key);
    this.partials.set(key, partial);
    if (this.partials.size > MAX_PARTIAL_HASHES) this.partials.delete(this.partials.keys().next().value as string);
  }

  /**
   * Hashes the binaries that have no digest yet, within the budget: files cut short earlier first
   * (so a large one always finishes), then the smallest, so the budget covers as many as it can.
   */
  async hashWithinBudget(files: Iterable<ExecutableToHash>, budget: HashBudget, eventLoop: EventLoopBudget): Promise<HashingReport> {
    const startedAt = monotonicMilliseconds();
    const all = [...files];
    this.lastSnapshotKeys = all.map((file) => file.key);
    const canResume = budget.resumesLargeFiles ?? true;
    const pending = all.filter((file) => !this.digests.has(file.key));
    pending.sort((left, right) => {
      const resumed = Number(this.partials.has(right.key)) - Number(this.partials.has(left.key));
      return resumed || left.size - right.size || (left.key < right.key ? -1 : left.key > right.key ? 1 : 0);
    });
    let bytesHashed = 0;
    let filesHashed = 0;
    const isSpent = () => bytesHashed >= budget.maxBytes || monotonicMilliseconds() - startedAt >= budget.maxMilliseconds;
    const canFinish = (file: ExecutableToHash) => {
      if (file.size > budget.maxBytes) return false;
      const millisecondsLeft = budget.maxMilliseconds - (monotonicMilliseconds() - startedAt);
      return this.bytesPerMillisecond === null || file.size <= millisecondsLeft * this.bytesPerMillisecond;
    };
    // Loaded only when there is something to hash: a one-shot run whose binaries all have their
    // digests kept (executable-hash-file.ts) never pays for node:crypto.
    let createHash: ((algorithm: string) => Hash) | undefined;
    for (const file of pending) {
      if (isSpent()) break;
      if (!canResume && !canFinish(file)) continue;
      if (eventLoop.isSpent()) await eventLoop.yieldToEventLoop();
      const fd = openMatching(file);
      if (fd === null) continue;
      try {
        createHash ??= (await import('node:crypto')).createHash;
        const partial = this.partials.get(file.key) ?? { hash: createHash('sha256'), offset: 0 };
        this.partials.delete(file.key);
        chunkBuffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
        while (partial.offset < file.size && !isSpent()) {
          const bytesRead = readSync(fd, chunkBuffer, 0, CHUNK_BYTES, partial.offset);
          if (bytesRead === 0) break;
          partial.hash.update(chunkBuffer.subarray(0, bytesRead));
          partial.offset += bytesRead;
          bytesHashed += bytesRead;
          if (eventLoop.isSpent()) await eventLoop.yieldToEventLoop();
        }
        // The descriptor was checked against the key, size included, so reaching the size is the end.
        if (partial.offset >= file.size) {
          this.remember(file.key, partial.hash.digest('hex'));
          this.hasChanged = true;
          filesHashed += 1;
        } else {
          this.keepPartial(file.key, partial);
        }
      } catch (error) {
        // A file we may open but not read (or a disk error mid-read) stays unhashed: null, never a guess.
        if (!isSystemError(error)) throw error;
      } finally {
        closeSync(fd);
      }
    }
    const milliseconds = monotonicMilliseconds() - startedAt;
    if (bytesHashed >= MIN_BYTES_TO_MEASURE_SPEED) {
      this.bytesPerMillisecond = bytesHashed / milliseconds;
      this.hasChanged = true;
    }
    this.lastReport = { bytesHashed, filesHashed, filesPending: pending.length - filesHashed, milliseconds };
    return this.lastReport;
  }
}
