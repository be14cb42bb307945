// The executable behind a process: /proc/PID/exe names it, even after it was deleted from disk, and
// opens it too — the file the process runs, not whatever now sits at its path.
import { statSync, type BigIntStats } from 'node:fs';
import { isExpectedReadError, readLink } from './read-files';

/** What the kernel appends to the link of a file whose name was unlinked (d_path). */
const DELETED_SUFFIX = ' (deleted)';

export interface ExecutableFile {
  /** (device, inode, size, mtime, ctime): the same binary, unchanged, has the same key. */
  key: string;
  size: number;
}

export interface ExecutableInfo {
  /** The link target without the kernel's suffix; null when unreadable (kernel threads, zombies, no permission). */
  exe: string | null;
  exeDeleted: boolean | null;
  /** null when the file could not be looked at (then it cannot be hashed either). */
  file: ExecutableFile | null;
}

const UNREADABLE: ExecutableInfo = { exe: null, exeDeleted: null, file: null };

/**
 * The cache key of a binary. ctime joins the (device, inode, size, mtime) key because mtime is the
 * owner's to set (touch -d) while ctime is not: a binary patched in place and given back its old
 * mtime still gets a new key, and is hashed again.
 */
export function executableKey(stats: Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

function statExecutable(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    if (isExpectedReadError(error)) return undefined;
    throw error;
  }
}

/** Whether the executable of a process (its /proc/PID/exe link reads `link`) is on a file system we may touch. */
export type IsExecutableLocal = (pid: number, link: string) => boolean;

/**
 * Deleted means the path the process was started from is gone and no other name holds the file: the
 * kernel's ` (deleted)` suffix and a link count of zero. Requiring both keeps a file whose name
 * really ends in " (deleted)" from counting, and one that lives on under another hard link. An
 * upgraded package whose daemon was not restarted counts too: its old binary is gone from disk.
 * A binary on FUSE or a network file system is not looked at (that could wait forever): its path
 * and the suffix are all we report. One deeper than PATH_MAX has no path to report at all.
 */
export function readExecutable(procRoot: string, pid: number, isExecutableLocal: IsExecutableLocal): ExecutableInfo {
  const linkPath = `${procRoot}/${pid}/exe`;
  const link = readLink(linkPath);
  if (link === null) return UNREADABLE;
  const hasDeletedSuffix = link.endsWith(DELETED_SUFFIX);
  const stats = isExecutableLocal(pid, link) ? statExecutable(linkPath) : undefined;
  const isDeleted = hasDeletedSuffix && (stats === undefined || stats.nlink === 0n);
  return {
    exe: isDeleted ? link.slice(0, -DELETED_SUFFIX.length) : link,
    exeDeleted: isDeleted,
    file: stats === undefined || !stats.isFile() ? null : { key: executableKey(stats), size: Number(stats.size) },
  };
}
