// File access shared by the package database readers: a file that is not there means "this package
// manager is not on the host", anything else is a failure; a parse failure names the file.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ParseError } from '../../parse/parse-error';

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The file's text, or null when it does not exist. */
export async function readOptionalFile(filePath: string): Promise<string | null> {
  try {
    return await readFile(filePath, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Directory entries, or none when the directory does not exist. */
export async function listOptionalDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

export async function exists(filePath: string): Promise<boolean> {
  try {
    await stat(filePath);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

/**
 * What a stat says about a file's contents without reading it: inode (package managers replace their
 * database by renaming a new file over it), size and modification time. "-" for a missing file.
 */
export async function describeFileVersion(filePath: string): Promise<string> {
  try {
    const info = await stat(filePath, { bigint: true });
    return `${filePath}:${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch (error) {
    if (isMissing(error)) return `${filePath}:-`;
    throw error;
  }
}

/** Runs a parser over a database file, so that a failure says which file and line. */
export function parseDatabaseFile<T>(filePath: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof ParseError) throw new Error(`${filePath}${error.line > 0 ? `:${error.line}` : ''}: ${error.reason}`, { cause: error });
    throw error;
  }
}

/** `relative` under `root` (the host's own files when root is "/"). */
export function underRoot(root: string, relative: string): string {
  return path.join(root, relative);
}
