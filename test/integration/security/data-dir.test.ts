// DATA_DIR as another user of the machine, or a second process, finds it: the embedded database
// and the admin secret are private to the server's user (folders 0700, files 0600 — also the files
// PGlite writes world-writable, and loose ones from before), and one process at a time opens it: a
// second server stops with one sentence naming the first, which keeps serving; the admin CLI goes
// through the server that holds the folder, and a lock left by a killed process is taken over.
// The embedded database is the subject here, whatever TEST_DB says.
import { execFile, spawn } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAdmin } from '@/test/helpers/api-client';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';

const run = promisify(execFile);
let dataDir: string;
const servers: AppServer[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-data-dir-'));
  // Left by an earlier version or by hand: a world-writable note and folder.
  await mkdir(path.join(dataDir, 'old'), { mode: 0o777 });
  await chmod(path.join(dataDir, 'old'), 0o777);
  await writeFile(path.join(dataDir, 'old', 'notes.txt'), 'x', { mode: 0o666 });
  await chmod(path.join(dataDir, 'old', 'notes.txt'), 0o666);
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const embeddedEnv = () => ({ DATA_DIR: dataDir });
async function start(): Promise<AppServer> {
  const server = await startAppServer({ keepData: { env: embeddedEnv() } });
  servers.push(server);
  return server;
}

/** Every path under `root` that a group or other user may read, write or enter. */
async function notPrivate(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (target: string) => {
    const info = await lstat(target);
    if ((info.mode & 0o077) !== 0) found.push(`${(info.mode & 0o777).toString(8)} ${path.relative(dataDir, target) || '.'}`);
    if (info.isDirectory()) for (const entry of await readdir(target)) await walk(path.join(target, entry));
  };
  await walk(root);
  return found;
}

async function countFiles(root: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) if (entry.isFile()) count += 1;
  return count;
}

function admin(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'lib/admin/cli.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: '', ...embeddedEnv() },
  });
}

describe('DATA_DIR', () => {
  it('is private to the server user: nothing in it is open to group or others, PGlite files and loose ones included', async () => {
    const server = await start();
    expect(await countFiles(dataDir)).toBeGreaterThan(500);
    expect(await notPrivate(dataDir)).toEqual([]);
    expect(((await lstat(dataDir)).mode & 0o777).toString(8)).toBe('700');
    expect(((await lstat(path.join(dataDir, 'server.json'))).mode & 0o777).toString(8)).toBe('600');
    // Files the database writes while running are private too.
    const admin = await signInAdmin(server);
    expect(admin.cookie).toMatch(/^sockscope_session=/);
    expect(await notPrivate(dataDir)).toEqual([]);
  });

  it('is opened by one process at a time: a second server stops with one sentence naming the first, which keeps serving', async () => {
    const first = servers.at(-1)!;
    const second = await startAppServer({ keepData: { env: embeddedEnv() } }).catch((error: Error) => error);
    if (!(second instanceof Error)) servers.push(second);
    expect(second).toBeInstanceOf(Error);
    const printed = (second as Error).message;
    expect(printed).toContain(`[sockscope] DATA_DIR is in use by pid ${first.process.pid} (${dataDir})`);
    expect(printed).not.toMatch(/Aborted|RuntimeError|\n\s+at /);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await signInAdmin(first)).kind).toBe('session');
  });

  it('the admin CLI goes through the server that holds it, and refuses a folder another process holds', async () => {
    const [token] = (await admin('enroll', 'lock-01')).stdout.trim().split('\n');
    expect(token).toMatch(/^ssh_/);
    await servers.pop()!.stop();

    // A process that is no Sockscope server holds the folder: the CLI neither opens it nor goes anywhere.
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeFile(path.join(dataDir, 'sockscope.lock'), JSON.stringify({ pid: holder.pid, processStart: null }), { mode: 0o600 });
      const refused = await admin('enroll', 'lock-02').catch((error: { code: number; stderr: string }) => error);
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr).toBe(
        `admin: DATA_DIR is in use by pid ${holder.pid} (${dataDir}): only one process may open its embedded database, so stop that one or point DATA_DIR elsewhere.\n`,
      );
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // Its process gone, the lock is stale: the CLI takes it over, opens the folder itself and lets go.
    expect((await admin('enroll', 'lock-02')).stdout).toMatch(/^ssh_/);
    await expect(lstat(path.join(dataDir, 'sockscope.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('a server killed outright leaves a stale lock, which the next start takes over', async () => {
    const killed = await start();
    await killed.stop('SIGKILL');
    servers.pop();
    expect((await lstat(path.join(dataDir, 'sockscope.lock'))).isFile()).toBe(true);
    const next = await start();
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
    await next.stop();
    servers.pop();
  });

  it('a server that cannot make the folder private refuses to start, and says why in one sentence', async () => {
    // Root can hand a file to another user; no server running as someone else may then keep it private.
    const foreign = path.join(dataDir, 'old', 'notes.txt');
    await chown(foreign, 4242, 4242);
    const refused = await startAppServer({ keepData: { env: embeddedEnv() } }).catch((error: Error) => error);
    await chown(foreign, process.getuid!(), process.getgid!());
    if (!(refused instanceof Error)) servers.push(refused);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(
      `[sockscope] DATA_DIR ${dataDir} is not private to this user: ${foreign} belongs to uid 4242, and this server runs as uid ${process.getuid!()}; chown the folder to this user or point DATA_DIR elsewhere.`,
    );
    expect((refused as Error).message).not.toMatch(/\n\s+at /);
  });
});
