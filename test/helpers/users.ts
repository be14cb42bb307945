// Extra dashboard accounts for tests, created the way an operator would: `npm run admin -- create-user`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AppServer } from './app-server';

const run = promisify(execFile);

/** Creates the account on the server's database and returns its generated password. */
export async function createTestUser(server: AppServer, name: string, role: 'admin' | 'analyst' | 'viewer'): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'lib/admin/cli.ts', 'create-user', name, '--role', role], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: '', ...server.env },
  });
  const password = stdout.trim().split('\n').at(-1);
  if (!password) throw new Error(`create-user printed nothing for ${name}`);
  return password;
}
