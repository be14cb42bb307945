// Runs the collector CLI as a real child process, from TypeScript source through tsx.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  stderr: () => string;
  finished: Promise<Finished>;
}

export function startCli(
  args: string[],
  env: Record<string, string> = {},
  command = ['--import', 'tsx', path.join(repoRoot, 'collector/cli.ts')],
  cwd = repoRoot,
): RunningCli {
  const child = spawn(process.execPath, [...command, ...args], {
    cwd,
    // No cache directory unless a test gives one: tests leave the user's ~/.sockscope/cache alone.
    env: { ...process.env, SOCKSCOPE_CACHE_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, finished };
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return startCli(args, env).finished;
}
