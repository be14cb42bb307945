import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutableHashCache } from '../../../collector/gather/linux/executable-hashes';
import { gatherLinuxSnapshot, type GatheredSnapshot } from '../../../collector/gather/linux/index';

// A copy of sleep(1), started and then deleted from disk while it runs: the classic implant sign.
const directory = mkdtempSync(join(tmpdir(), 'sockscope-deleted-exe-'));
const copyPath = join(directory, 'implant');
let implant: ChildProcess;
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
  // A roomy budget and a cache of our own: every binary on the machine gets its digest in this one snapshot.
  snapshot = await gatherLinuxSnapshot({ hashCache: new ExecutableHashCache(), hashBudget: { maxBytes: 2 ** 40, maxMilliseconds: 600_000 } });
});

afterAll(async () => {
  if (implant?.exitCode === null && implant.signalCode === null) {
    const exited = new Promise((resolve) => implant.once('exit', resolve));
    implant.kill('SIGKILL');
    await exited;
  }
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

  it('gives processes running the same binary the same digest', () => {
    const byExe = new Map<string, Set<string | null | undefined>>();
    for (const process of snapshot.processes ?? []) {
      if (process.exe === null || process.exe === undefined || process.exeDeleted) continue;
      byExe.set(process.exe, (byExe.get(process.exe) ?? new Set()).add(process.exeSha256));
    }
    expect([...byExe].filter(([, digests]) => digests.size > 1)).toEqual([]);
  });
});
