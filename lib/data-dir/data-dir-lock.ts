// The embedded database belongs to one process at a time: a second PGlite on the same folder
// aborts (RuntimeError: Aborted()) and may damage the first one's data. Whoever opens it (the
// server, the admin CLI, a test) first takes DATA_DIR/sockscope.lock, which names its process; a
// lock whose process is gone (killed, crashed) is stale and taken over.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataDirError } from './private-data-dir';

const lockFilePath = (dataDir: string) => path.join(dataDir, 'sockscope.lock');

export class DataDirInUseError extends DataDirError {
  constructor(
    readonly pid: number,
    dataDir: string,
  ) {
    super(`DATA_DIR is in use by pid ${pid} (${dataDir}): only one process may open its embedded database, so stop that one or point DATA_DIR elsewhere.`);
  }
}

interface LockOwner {
  pid: number;
  /** Boot and start time of the process (Linux): tells a reused pid from the owner. */
  processStart: string | null;
}

export interface DataDirLock {
  release: () => Promise<void>;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = lockFilePath(dataDir);
  const me: LockOwner = { pid: process.pid, processStart: await processStart(process.pid) };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(lockPath, me, dataDir)) return { release: () => releaseIfMine(lockPath, me) };
    const holderText = await readFile(lockPath, 'utf8').catch(() => null);
    if (holderText === null) continue;
    const holder = parseOwner(holderText);
    if (holder && (await isRunning(holder))) throw new DataDirInUseError(holder.pid, dataDir);
    await takeOverStale(lockPath, holderText);
  }
  throw new DataDirError(`DATA_DIR ${dataDir} could not be locked: other processes keep taking ${lockPath}.`);
}

/** Creates the lock with its content in one step (a link fails if the name exists): no one ever reads half a lock. */
async function tryCreate(lockPath: string, owner: LockOwner, dataDir: string): Promise<boolean> {
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
    await link(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DataDirError(
      `DATA_DIR ${dataDir} cannot be locked (${(error as NodeJS.ErrnoException).code ?? String(error)}); point DATA_DIR at a folder this user may write.`,
    );
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Moves a stale lock aside. Two processes may judge the same lock stale at once: each renames
 * whatever is there now and checks it is the stale one it read; if it moved a fresh lock (the
 * other won), it puts it back.
 */
async function takeOverStale(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}

async function releaseIfMine(lockPath: string, me: LockOwner): Promise<void> {
  const holder = parseOwner((await readFile(lockPath, 'utf8').catch(() => null)) ?? '');
  if (holder?.pid === me.pid && holder.processStart === me.processStart) await rm(lockPath, { force: true });
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (!Number.isSafeInteger(value.pid) || (value.pid ?? 0) <= 0) return null;
    return { pid: value.pid!, processStart: typeof value.processStart === 'string' ? value.processStart : null };
  } catch {
    return null;
  }
}

async function isRunning(owner: LockOwner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = owner.processStart ? await processStart(owner.pid) : null;
  return started === null || started === owner.processStart;
}

/** "boot id:start time in clock ticks" from /proc (Linux); null elsewhere. */
async function processStart(pid: number): Promise<string | null> {
  try {
    const [stat, bootId] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile('/proc/sys/kernel/random/boot_id', 'utf8')]);
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return startTicks ? `${bootId.trim()}:${startTicks}` : null;
  } catch {
    return null;
  }
}
