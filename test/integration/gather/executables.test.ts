import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutableHashCache } from '../../../collector/gather/linux/executable-hashes';
import { gatherLinuxSnapshot, type GatheredSnapshot } from '../../../collector/gather/linux/index';

// A copy of sleep(1), started and then deleted from disk while it runs: the classic implant sign.
// Another copy runs from a directory deeper than PATH_MAX, holding a file there open: the kernel
// cannot print either path, and that must cost the snapshot nothing but those two paths.
const directory = mkdtempSync(join(tmpdir(), 'sockscope-deleted-exe-'));
const copyPath = join(directory, 'implant');
const DEEP_LEVELS = 25; // 25 directories of 200 characters: 5,000 characters, beyond PATH_MAX (4,096)
const DEEP_NAME = 'd'.repeat(200);
// Relative steps (no path handed to the kernel is too long, only the result), then the copy runs
// with a file there open as its descriptor 3. Prints the copy's pid.
const DEEP_LAUNCHER = `
const fs = require('node:fs');
const { spawn } = require('node:child_process');
process.chdir(process.argv[1]);
for (let level = 0; level < ${DEEP_LEVELS}; level += 1) {
  fs.mkdirSync('${DEEP_NAME}');
  process.chdir('${DEEP_NAME}');
}
fs.copyFileSync('/bin/sleep', 'deep-implant');
fs.chmodSync('deep-implant', 0o755);
const held = fs.openSync('held', 'w');
const child = spawn('./deep-implant', ['600'], { stdio: ['ignore', 'ignore', 'ignore', held] });
child.on('spawn', () => process.stdout.write(child.pid + '\\n'));
setInterval(() => {}, 1 << 30);
`;
let implant: ChildProcess;
let deepLauncher: ChildProcess;
let deepImplantPid: number;
let originalDigest: string;
let snapshot: GatheredSnapshot;

beforeAll(async () => {
  copyFileSync(realpathSync('/bin/sleep'), copyPath);
  chmodSync(copyPath, 0o755);
  originalDigest = createHash('sha256').update(readFileSync(copyPath)).digest('hex');
  implant = spawn(copyPath, ['600'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    implant.once('spawn', resolve);
    implant.once('error', reject);
  });
  unlinkSync(copyPath);
  deepLauncher = spawn(process.execPath, ['-e', DEEP_LAUNCHER, directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  deepImplantPid = await new Promise<number>((resolve, reject) => {
    deepLauncher.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    deepLauncher.once('exit', (code) => reject(new Error(`the deep launcher exited with ${code}`)));
  });
  // A roomy budget and a cache of our own: every binary on the machine gets its digest in this one snapshot.
  snapshot = await gatherLinuxSnapshot({ hashCache: new ExecutableHashCache(), hashBudget: { maxBytes: 2 ** 40, maxMilliseconds: 600_000 } });
});

afterAll(async () => {
  try {
    if (deepImplantPid !== undefined) process.kill(deepImplantPid, 'SIGKILL');
  } catch {
    // already gone
  }
  for (const child of [implant, deepLauncher]) {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  // rm(1) walks a tree deeper than PATH_MAX with relative steps; Node's rmSync would not.
  spawnSync('rm', ['-rf', directory]);
  rmSync(directory, { recursive: true, force: true });
});

describe('executables of running processes', () => {
  it('flags a process whose executable was deleted, names it without the suffix, and still hashes what it runs', () => {
    expect(snapshot.processes?.find((process) => process.pid === implant.pid)).toMatchObject({
      exe: copyPath,
      exeDeleted: true,
      exeSha256: originalDigest,
    });
  });

  it('names and hashes the executable of a process whose file is in place', () => {
    const own = snapshot.processes?.find((process) => process.pid === globalThis.process.pid);
    expect(own).toMatchObject({ exe: realpathSync(globalThis.process.execPath), exeDeleted: false });
    expect(own?.exeSha256).toBe(createHash('sha256').update(readFileSync(globalThis.process.execPath)).digest('hex'));
  });

  it('lists a process whose binary is deeper than PATH_MAX, without a path the kernel cannot print, and skips a descriptor that deep', () => {
    expect(snapshot.processes?.find((process) => process.pid === deepImplantPid)).toMatchObject({
      command: 'deep-implant',
      exe: null,
      exeDeleted: null,
      exeSha256: null,
    });
  });

  it('gives processes running the same binary the same digest', () => {
    const byExe = new Map<string, Set<string | null | undefined>>();
    for (const process of snapshot.processes ?? []) {
      if (process.exe === null || process.exe === undefined || process.exeDeleted) continue;
      byExe.set(process.exe, (byExe.get(process.exe) ?? new Set()).add(process.exeSha256));
    }
    expect([...byExe].filter(([, digests]) => digests.size > 1)).toEqual([]);
  });
});
