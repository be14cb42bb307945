// `npm run admin -- enroll NAME` and `api-token USER` (the CLI contract): one line each, usable at
// once — through the running server when it holds the embedded database, directly otherwise.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { makeSnapshot, postSnapshot } from '@/test/helpers/snapshots';

const run = promisify(execFile);
let server: AppServer;

async function admin(env: Record<string, string>, ...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/admin/cli.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: '', ...env },
  });
  return stdout.trim().split('\n');
}

beforeAll(async () => {
  server = await startAppServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe('admin CLI', () => {
  it('enrols a host with one printed line, a token its collector can post with at once', async () => {
    const lines = await admin(server.env, 'enroll', 'cli-host-01', '--label', 'dmz');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ssh_[A-Za-z0-9_-]{43}$/);
    expect((await postSnapshot(server.url, lines[0]!, makeSnapshot('cli-host-01'))).status).toBe(202);
    const failure = await admin(server.env, 'enroll', '<script>').catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/^admin: .*Host name/);
  });

  it('prints an analyst API token (creating the user as an admin) that opens the analyst API', async () => {
    const lines = await admin(server.env, 'api-token', 'soc-bot');
    expect(lines).toHaveLength(1);
    const response = await fetch(`${server.url}/api/v1/hosts`, { headers: { authorization: `Bearer ${lines[0]}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { hosts: { name: string; labels: string[] }[] }).hosts).toContainEqual(
      expect.objectContaining({ name: 'cli-host-01', labels: ['dmz'] }),
    );
  });

  it('rotates a host token: the old one stops working, the new one posts', async () => {
    const [oldToken] = await admin(server.env, 'enroll', 'cli-host-02');
    const [newToken] = await admin(server.env, 'rotate-token', 'cli-host-02');
    expect((await postSnapshot(server.url, oldToken!, makeSnapshot('cli-host-02'))).status).toBe(401);
    expect((await postSnapshot(server.url, newToken!, makeSnapshot('cli-host-02'))).status).toBe(202);
  });

  it('resets a password: one printed line that signs in, the old password and sessions dead', async () => {
    const [password] = await admin(server.env, 'create-user', 'cli-analyst', '--role', 'analyst');
    const signIn = (secret: string) =>
      fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.201' },
        body: JSON.stringify({ name: 'cli-analyst', password: secret }),
      });
    const first = await signIn(password!);
    expect(first.status).toBe(200);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0]!;
    const lines = await admin(server.env, 'reset-password', 'cli-analyst');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toBe(password);
    expect((await signIn(password!)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/hosts`, { headers: { cookie } })).status).toBe(401);
    expect((await signIn(lines[0]!)).status).toBe(200);
    const failure = await admin(server.env, 'reset-password', 'no-such-user').catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/^admin: No user named no-such-user\.$/m);
  });

  it('opens an embedded database directly when no server holds it, and refuses a bad name with exit 2', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-admin-'));
    try {
      const [token] = await admin({ DATA_DIR: dataDir }, 'enroll', 'offline-01');
      expect(token).toMatch(/^ssh_/);
      const failure = await admin({ DATA_DIR: dataDir }, 'enroll', 'bad name!').catch((error: { code: number; stderr: string }) => error);
      expect(failure).toMatchObject({ code: 2 });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
