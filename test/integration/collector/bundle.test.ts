// `npm run build:collector` makes one file that runs with plain node, far from the repo and node_modules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '@/lib/schemas/snapshot';
import { repoRoot, startCli } from './cli-process';

let hostDir: string;

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'build:collector'], { cwd: repoRoot, stdio: 'pipe' });
  hostDir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-bundle-'));
  copyFileSync(path.join(repoRoot, 'dist', 'collector.mjs'), path.join(hostDir, 'collector.mjs'));
  writeFileSync(
    path.join(hostDir, 'traceroute.txt'),
    'traceroute to 127.0.0.1 (127.0.0.1), 30 hops max, 60 byte packets\n 1  127.0.0.1  0.528 ms  0.441 ms  0.406 ms\n',
  );
}, 120_000);

afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

function runBundle(args: string[]) {
  // Only the copied file: no checkout around it, no node_modules above it, no NODE_PATH.
  return startCli(args, { NODE_PATH: '' }, [path.join(hostDir, 'collector.mjs')], hostDir).finished;
}

describe('the bundled collector', () => {
  it('has no node_modules to lean on', () => {
    for (let dir = hostDir; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    }
  });

  it('parses tool output', async () => {
    const result = await runBundle(['parse', '--format', 'traceroute', 'traceroute.txt']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { traceroutes: { target: string; hops: unknown[] }[] };
    expect(parsed.traceroutes[0]?.target).toBe('127.0.0.1');
    expect(parsed.traceroutes[0]?.hops).toHaveLength(1);
  });

  it('reports bad input with exit code 2 and one line', async () => {
    const result = await runBundle(['parse', '--format', 'traceroute', 'missing.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('missing.txt: no such file\n');
  });

  it("prints this machine's snapshot", async () => {
    const result = await runBundle(['snapshot']);
    expect(result.code).toBe(0);
    const snapshot = snapshotSchema.parse(JSON.parse(result.stdout));
    expect(snapshot.version).toBe(1);
    expect(snapshot.sockets?.length).toBeGreaterThan(0);
    expect(snapshot.collectorVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
