// Crash-safe file writes: a reader sees the old file or the whole new one, never half of one,
// and a power cut after we return cannot undo the write (the rename is fsynced with its directory).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Temp files start with this prefix, so directory listings can skip (and later sweep) them. */
export const TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(filePath: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = path.dirname(filePath);
  const tempPath = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${path.basename(filePath)}`);
  const file = await open(tempPath, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(tempPath, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}

/** Makes a rename or unlink in `dir` durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
