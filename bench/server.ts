// The real server for benchmarks: server.ts under node (tsx), NODE_ENV=production, on a given
// database — like test/helpers/app-server.ts, plus extra node flags (--cpu-prof) when asked.
import { spawn, type ChildProcess } from 'node:child_process';
import { TEST_ADMIN_PASSWORD } from '@/test/helpers/app-server';

export interface BenchServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** `cwd`: another checkout to run (with its own build), for before/after comparisons in one sitting. */
export async function startBenchServer(options: { env: Record<string, string>; nodeFlags?: string[]; cwd?: string }): Promise<BenchServer> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', 'server.ts'], {
    cwd: options.cwd ?? process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOSTNAME: '127.0.0.1',
      SOCKSCOPE_LOCAL_COLLECTOR: '0',
      SOCKSCOPE_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /dashboard on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timeout);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

/** Signs in as the first-run admin (as test/helpers/app-server.ts signInAsAdmin does). */
export async function signIn(url: string): Promise<Session> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
}
