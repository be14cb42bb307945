// Starts the real server (server.ts: Next.js production build + socket.io) on a free port, on its
// own database, for API and browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmptyPostgresDatabase, testDatabaseKind } from './test-database';

export const TEST_ADMIN_PASSWORD = 'correct-horse-battery-staple';

export interface AppServer {
  url: string;
  port: number;
  process: ChildProcess;
  env: Record<string, string>;
  output: () => string;
  /** The output once it contains `text`: a log line may arrive after the response it belongs to. */
  waitForOutput: (text: string, timeoutMs?: number) => Promise<string>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  dispose: () => Promise<void>;
}

export async function startAppServer(
  options: { env?: Record<string, string>; port?: number; keepData?: { env: Record<string, string> } } = {},
): Promise<AppServer> {
  let dropDatabase: (() => Promise<void>) | null = null;
  let env: Record<string, string>;
  if (options.keepData) {
    env = options.keepData.env;
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sockscope-server-'));
    env = { DATA_DIR: dataDir };
    if (testDatabaseKind() === 'postgres') {
      const created = await createEmptyPostgresDatabase();
      env.DATABASE_URL = created.url;
      dropDatabase = created.drop;
    }
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: '',
      NODE_ENV: 'production',
      PORT: String(options.port ?? 0),
      HOSTNAME: '127.0.0.1',
      SOCKSCOPE_LOCAL_COLLECTOR: '0',
      SOCKSCOPE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      // Tests sign in many times from 127.0.0.1; they tell addresses apart with X-Forwarded-For.
      SOCKSCOPE_TRUST_PROXY: '1',
      ...env,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /dashboard on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timeout);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    env,
    output: () => output,
    async waitForOutput(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`the server did not print ${JSON.stringify(text)} within ${timeoutMs} ms:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return output;
    },
    stop,
    async dispose() {
      await stop();
      if (dropDatabase) await dropDatabase();
      if (!options.keepData && env.DATA_DIR) await rm(env.DATA_DIR, { recursive: true, force: true });
    },
  };
}

/** Signs in as the first-run admin and returns the session cookie and CSRF token. */
export async function signInAsAdmin(server: AppServer): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

/** Enrols a host (with labels, if given) and returns its token. */
export async function enrollTestHost(server: AppServer, session: { cookie: string; csrfToken: string }, name: string, labels?: string[]): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/hosts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(labels ? { name, labels } : { name }),
  });
  if (response.status !== 201) throw new Error(`enrol failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
