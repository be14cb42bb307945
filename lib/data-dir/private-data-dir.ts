// DATA_DIR holds the embedded database and the admin secret: it must be private to the server's
// user (folders 0700, files 0600). PGlite writes a new database's files world-writable (0666,
// whatever the umask), so the folder is put right at start and again after the database opens;
// the server refuses to start, with one sentence, when it cannot.
import { chmod, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A DATA_DIR the server cannot use as it must: the message is the one sentence to print. */
export class DataDirError extends Error {}

const PRIVATE_FOLDER = 0o700;
/** Files keep their owner bits (none is executable today) and lose every bit for others. */
const OWNER_BITS = 0o700;

/** Creates DATA_DIR if needed and takes every bit for group and others off everything in it. */
export async function makeDataDirPrivate(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: PRIVATE_FOLDER });
  } catch (error) {
    throw new DataDirError(`DATA_DIR ${dataDir} cannot be created (${codeOf(error)}); point DATA_DIR at a folder this user may write.`);
  }
  // The folder itself may be a link the operator made on purpose; links inside it are never followed.
  await makePrivate(dataDir, await stat(dataDir), dataDir);
}

async function makePrivate(target: string, info: Awaited<ReturnType<typeof lstat>>, dataDir: string): Promise<void> {
  if (info.isSymbolicLink()) return;
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new DataDirError(
      `DATA_DIR ${dataDir} is not private to this user: ${target} belongs to uid ${info.uid}, and this server runs as uid ${uid}; chown the folder to this user or point DATA_DIR elsewhere.`,
    );
  }
  const mode = Number(info.mode) & 0o777;
  const wanted = info.isDirectory() ? PRIVATE_FOLDER : mode & OWNER_BITS;
  if (mode !== wanted) {
    try {
      await chmod(target, wanted);
    } catch (error) {
      throw new DataDirError(`DATA_DIR ${dataDir} cannot be made private to this user: chmod of ${target} failed (${codeOf(error)}).`);
    }
  }
  if (!info.isDirectory()) return;
  for (const entry of await readdir(target)) {
    const child = path.join(target, entry);
    // A file PostgreSQL removes while we walk (a finished WAL segment) is simply gone.
    const childInfo = await lstat(child).catch(() => null);
    if (childInfo) await makePrivate(child, childInfo, dataDir);
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code ?? String(error);
