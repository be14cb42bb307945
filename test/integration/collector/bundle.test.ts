// `npm run build:collector` makes one file that runs with plain node, far from the repo and node_modules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function runBundle(args: string[], cacheDir = '') {
  // Only the copied file: no checkout around it, no node_modules above it, no NODE_PATH.
  return startCli(args, { NODE_PATH: '', SOCKSCOPE_CACHE_DIR: cacheDir }, [path.join(hostDir, 'collector.mjs')], hostDir).finished;
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

  it('keeps compiled code, digests and packages in its cache directory, and shrugs off a damaged one', async () => {
    const cacheDir = path.join(hostDir, 'cache');
    const first = await runBundle(['snapshot'], cacheDir);
    expect(first.code).toBe(0);
    const kept = readdirSync(cacheDir).sort();
    expect(kept).toEqual(expect.arrayContaining(['executable-hashes.json', 'packages.json', expect.stringMatching(/^code-[0-9a-f]{16}-bare-snapshot-/)]));
    const second = await runBundle(['snapshot'], cacheDir);
    expect(second.code).toBe(0);
    expect(readdirSync(cacheDir).sort()).toEqual(kept);
    const hashed = (output: string) => snapshotSchema.parse(JSON.parse(output)).processes?.filter((row) => row.exeSha256 !== null).length ?? 0;
    expect(hashed(second.stdout)).toBeGreaterThanOrEqual(hashed(first.stdout));

    for (const name of kept) {
      const file = path.join(cacheDir, name);
      const damaged = readFileSync(file);
      for (let index = 48; index < damaged.length; index += 97) damaged[index] = (damaged[index] ?? 0) ^ 0x5a;
      writeFileSync(file, damaged);
    }
    const afterDamage = await runBundle(['snapshot'], cacheDir);
    expect(afterDamage.stderr).toBe('');
    expect(afterDamage.code).toBe(0);
    expect(snapshotSchema.parse(JSON.parse(afterDamage.stdout)).sockets?.length).toBeGreaterThan(0);
  });

  it('exits 0, saying nothing, when the reader stops reading early (`snapshot | head`)', async () => {
    const running = startCli(['snapshot'], { NODE_PATH: '', SOCKSCOPE_CACHE_DIR: '' }, [path.join(hostDir, 'collector.mjs')], hostDir);
    running.child.stdout?.destroy();
    const result = await running.finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('runs all the same when its cache directory cannot be written', async () => {
    writeFileSync(path.join(hostDir, 'not-a-directory'), '');
    const result = await runBundle(['snapshot'], path.join(hostDir, 'not-a-directory', 'cache'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(snapshotSchema.parse(JSON.parse(result.stdout)).sockets?.length).toBeGreaterThan(0);
  });
});
