// The running server leaves a note in DATA_DIR saying where it listens and a secret that lets the
// admin CLI (on this machine, with read access to DATA_DIR) ask it to run commands.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ServerHandle {
  pid: number;
  port: number;
  secret: string;
}

const serverHandlePath = (dataDir: string) => path.join(dataDir, 'server.json');

export async function writeServerHandle(dataDir: string, port: number): Promise<ServerHandle> {
  const handle: ServerHandle = { pid: process.pid, port, secret: randomBytes(32).toString('hex') };
  await writeFile(serverHandlePath(dataDir), JSON.stringify(handle), { mode: 0o600 });
  return handle;
}

export async function readServerHandle(dataDir: string): Promise<ServerHandle | null> {
  try {
    return JSON.parse(await readFile(serverHandlePath(dataDir), 'utf8')) as ServerHandle;
  } catch {
    return null;
  }
}

export async function removeServerHandle(dataDir: string): Promise<void> {
  await rm(serverHandlePath(dataDir), { force: true });
}
