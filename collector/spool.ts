// The on-disk queue that makes "never lose a snapshot" true: every snapshot is written here before
// it is sent and removed only once the server has it (or moved to rejected/ when it never will).
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX, fsyncDirectory, writeFileAtomic } from './atomic-write';
import { type Logger, silentLogger } from './log';

export const DEFAULT_SPOOL_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_FILES = 10_000;
const REJECTED_DIR = 'rejected';
const DROP_COUNT_FILE = 'drop-count.json';
/** Temp files older than this were left by a crash, not by a writer still at work. */
const STALE_TEMP_MS = 10 * 60_000;

/** `<collectedAt epoch ms, 15 digits>-<sequence, 6 digits>-<idempotency key>.json`: lexical = collection order. */
const entryPattern = /^\d{15}-\d{6}-[A-Za-z0-9._-]+\.json$/;

export interface SpoolEntry {
  name: string;
  path: string;
  bytes: number;
}

export interface SpoolOptions {
  dir: string;
  maxBytes?: number;
  maxFiles?: number;
  log?: Logger;
}

export interface DropCounts {
  /** Snapshots dropped unsent because the spool was over its bound. */
  dropped: number;
  /** Rejected snapshots dropped from rejected/ for the same reason. */
  rejectedDropped: number;
}

export interface Rejection {
  status: number;
  body: string;
}

export function spoolEntryName(collectedAt: string, idempotencyKey: string, sequence: number): string {
  const epochMs = Date.parse(collectedAt);
  if (!Number.isFinite(epochMs) || epochMs < 0) throw new Error(`bad collectedAt ${JSON.stringify(collectedAt)}`);
  const safeKey = idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${String(epochMs).padStart(15, '0')}-${String(sequence % 1_000_000).padStart(6, '0')}-${safeKey}.json`;
}

export class Spool {
  readonly dir: string;
  readonly rejectedDir: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
  private readonly log: Logger;
  // Breaks ties between snapshots collected in the same millisecond by this process.
  private sequence = 0;

  private constructor(options: SpoolOptions) {
    this.dir = path.resolve(options.dir);
    this.rejectedDir = path.join(this.dir, REJECTED_DIR);
    this.maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_SPOOL_MAX_FILES;
    this.log = options.log ?? silentLogger;
  }

  /** Creates the spool (mode 0700: snapshots describe the host's attack surface) and sweeps crash debris. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    await mkdir(spool.rejectedDir, { recursive: true, mode: 0o700 });
    await spool.sweepStaleTempFiles(spool.dir);
    await spool.sweepStaleTempFiles(spool.rejectedDir);
    return spool;
  }

  /** Stores the exact bytes to POST later; drops the oldest entries if the spool is over its bound. */
  async add(snapshot: { collectedAt: string; idempotencyKey: string }, body: string): Promise<SpoolEntry> {
    const name = spoolEntryName(snapshot.collectedAt, snapshot.idempotencyKey, this.sequence++);
    const entryPath = path.join(this.dir, name);
    await writeFileAtomic(entryPath, body);
    await this.enforceBounds(this.dir, 'dropped');
    return { name, path: entryPath, bytes: Buffer.byteLength(body) };
  }

  /** Entries waiting to be sent, oldest collection first. */
  list(): Promise<SpoolEntry[]> {
    return listEntries(this.dir);
  }

  listRejected(): Promise<SpoolEntry[]> {
    return listEntries(this.rejectedDir);
  }

  /** The body to send, or null when another process already delivered and removed it. */
  async read(entry: SpoolEntry): Promise<string | null> {
    try {
      return await readFile(entry.path, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async remove(entry: SpoolEntry): Promise<void> {
    await rm(entry.path, { force: true });
  }

  /** Moves a refused snapshot aside with the server's answer, so it is kept but never resent. */
  async reject(entry: SpoolEntry, rejection: Rejection): Promise<void> {
    const target = path.join(this.rejectedDir, entry.name);
    const reason = { status: rejection.status, body: rejection.body, rejectedAt: new Date().toISOString() };
    await writeFileAtomic(`${target.slice(0, -'.json'.length)}.reason.txt`, `${JSON.stringify(reason, null, 2)}\n`);
    try {
      await rename(entry.path, target);
    } catch (error) {
      if (!isMissingFile(error)) throw error;
    }
    await fsyncDirectory(this.dir);
    await fsyncDirectory(this.rejectedDir);
    await this.enforceBounds(this.rejectedDir, 'rejectedDropped');
  }

  async dropCounts(): Promise<DropCounts> {
    try {
      const parsed = JSON.parse(await readFile(path.join(this.dir, DROP_COUNT_FILE), 'utf8')) as Partial<DropCounts>;
      return { dropped: toCount(parsed.dropped), rejectedDropped: toCount(parsed.rejectedDropped) };
    } catch (error) {
      if (isMissingFile(error) || error instanceof SyntaxError) return { dropped: 0, rejectedDropped: 0 };
      throw error;
    }
  }

  private async enforceBounds(dir: string, counter: keyof DropCounts): Promise<void> {
    const entries = await listEntries(dir);
    let totalBytes = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    const dropped: SpoolEntry[] = [];
    // The newest entry always stays, even alone over the byte bound: dropping it would lose the freshest data.
    while (entries.length > 1 && (entries.length > this.maxFiles || totalBytes > this.maxBytes)) {
      const oldest = entries.shift()!;
      await rm(oldest.path, { force: true });
      if (counter === 'rejectedDropped') await rm(oldest.path.replace(/\.json$/, '.reason.txt'), { force: true });
      totalBytes -= oldest.bytes;
      dropped.push(oldest);
    }
    if (dropped.length === 0) return;
    const counts = await this.dropCounts();
    counts[counter] += dropped.length;
    await writeFileAtomic(path.join(this.dir, DROP_COUNT_FILE), `${JSON.stringify(counts)}\n`);
    const where = counter === 'dropped' ? 'spool' : 'rejected/';
    this.log.warn(
      `${where} over its bound (${this.maxFiles} files, ${this.maxBytes} bytes): dropped ${dropped.length} oldest ` +
        `snapshot(s) (${dropped.map((entry) => entry.name).join(', ')}); ${counts[counter]} dropped in total`,
    );
  }

  private async sweepStaleTempFiles(dir: string): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      const filePath = path.join(dir, name);
      const info = await stat(filePath).catch(() => null);
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(filePath, { force: true });
    }
  }
}

async function listEntries(dir: string): Promise<SpoolEntry[]> {
  const names = (await readdir(dir)).filter((name) => entryPattern.test(name)).sort();
  const entries = await Promise.all(
    names.map(async (name) => {
      const entryPath = path.join(dir, name);
      const info = await stat(entryPath).catch(() => null);
      return info ? { name, path: entryPath, bytes: info.size } : null;
    }),
  );
  return entries.filter((entry): entry is SpoolEntry => entry !== null);
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function toCount(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
