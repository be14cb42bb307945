// Synchronous readers for /proc and /sys. These files live in kernel memory, so a read never waits
// on a disk: plain syscalls beat a round trip through libuv's thread pool several times over, and
// the gatherer yields to the event loop between processes instead (see event-loop-budget.ts).
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, readlinkSync, statSync, statfsSync } from 'node:fs';

/**
 * Errors that mean "this process or file is gone or not ours to see": a process that exits mid-scan
 * (ENOENT, ESRCH), one we may not inspect (EACCES, EPERM), a sysfs attribute with no value right now
 * (EINVAL, ENODEV, e.g. `carrier` of a down interface), a /proc link whose target's path is longer
 * than PATH_MAX (ENAMETOOLONG: any user can open or run a file that deep, and one such descriptor
 * must not stop the whole snapshot). They are normal and skipped silently.
 */
const EXPECTED_ERROR_CODES = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM', 'ENOTDIR', 'EINVAL', 'ENODEV', 'ENXIO', 'EOPNOTSUPP', 'ENAMETOOLONG']);

export function errorCodeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

export function isExpectedReadError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && EXPECTED_ERROR_CODES.has(code);
}

/**
 * Reading a /proc or /sys file to EOF costs one more read after the data, and for the socket tables
 * that read walks the whole TCP hash (~260k buckets on a 24 GB host) a second time. It is not needed:
 * seq_file (every /proc/net table, /proc/PID/stat, sysfs attributes) fills a buffer of at least one
 * 4 KiB page before returning, short only by the record that no longer fitted, and cmdline copies
 * until the request is full. So, asking for a page or more, a read that brings back less than a page
 * minus the longest record was the last one.
 */
const PAGE_SIZE = 4096;
const LONGEST_RECORD = 1024;
const FINAL_READ_BELOW = PAGE_SIZE - LONGEST_RECORD;

/** `kernel-short-read` for files the kernel generates (/proc, /sys); `read-until-zero` for ordinary files. */
export type EndOfFileRule = 'read-until-zero' | 'kernel-short-read';

const INITIAL_BUFFER_SIZE = 256 * 1024;
// One buffer reused for every read: the gatherer opens thousands of small files per snapshot.
let sharedBuffer = Buffer.allocUnsafe(INITIAL_BUFFER_SIZE);

function growSharedBuffer(keepBytes: number): void {
  const larger = Buffer.allocUnsafe(sharedBuffer.length * 2);
  sharedBuffer.copy(larger, 0, 0, keepBytes);
  sharedBuffer = larger;
}

/** The whole file with as few syscalls as possible; /proc files report size 0, so read until the end. */
function readIntoSharedBuffer(path: string, endOfFileRule: EndOfFileRule): number {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (sharedBuffer.length - length < PAGE_SIZE) growSharedBuffer(length);
      const bytesRead = readSync(fd, sharedBuffer, length, sharedBuffer.length - length, null);
      length += bytesRead;
      if (bytesRead === 0) return length;
      if (endOfFileRule === 'kernel-short-read' && bytesRead < FINAL_READ_BELOW) return length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Text of a file in /proc or /sys, or null when it is gone or hidden from us. */
export function readKernelText(path: string, encoding: BufferEncoding = 'utf8'): string | null {
  return readText(path, encoding, 'kernel-short-read');
}

/** What `read` returns, or null when the file is gone or hidden from us; any other error is thrown. */
function unlessGone<T>(read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    if (isExpectedReadError(error)) return null;
    throw error;
  }
}

/** File text, or null when the file is gone or hidden from us. */
export function readText(path: string, encoding: BufferEncoding = 'utf8', endOfFileRule: EndOfFileRule = 'read-until-zero'): string | null {
  return unlessGone(() => {
    const length = readIntoSharedBuffer(path, endOfFileRule);
    return sharedBuffer.toString(encoding, 0, length);
  });
}

/** File bytes (a copy), or null when the file is gone or hidden from us. */
export function readBytes(path: string): Buffer | null {
  return unlessGone(() => {
    const length = readIntoSharedBuffer(path, 'read-until-zero');
    return Buffer.from(sharedBuffer.subarray(0, length));
  });
}

export function listDirectory(path: string): string[] | null {
  return unlessGone(() => readdirSync(path));
}

export function readLink(path: string): string | null {
  return unlessGone(() => readlinkSync(path));
}

/** Owner uid of a file or directory, or null when it is gone. */
export function readOwnerUid(path: string): number | null {
  return unlessGone(() => statSync(path, { throwIfNoEntry: false })?.uid ?? null);
}

/** A sysfs attribute holds at most one page. */
const MAX_ATTRIBUTE_BYTES = 4096;
const UNTRUSTED_OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
let attributeBuffer: Buffer | undefined;

/**
 * One sysfs attribute seen through another process's root (/proc/PID/root/sys/…), whose owner may
 * have put anything there: only a regular file (not a FIFO that would block the open, a device that
 * never ends, or a symbolic link out to the host's files), and only its first page. null otherwise.
 */
export function readUntrustedAttribute(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, UNTRUSTED_OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    attributeBuffer ??= Buffer.allocUnsafe(MAX_ATTRIBUTE_BYTES);
    const length = readSync(fd, attributeBuffer, 0, MAX_ATTRIBUTE_BYTES, 0);
    return attributeBuffer.toString('latin1', 0, length);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** statfs(2) f_type of sysfs (include/uapi/linux/magic.h). */
const SYSFS_MAGIC = 0x62656572;

/** True when the path is on a sysfs (and not on something mounted over it); false when it cannot be told. */
export function isOnSysfs(path: string): boolean {
  try {
    return statfsSync(path).type === SYSFS_MAGIC;
  } catch {
    return false;
  }
}
