// A one-shot `snapshot` reads the package databases again only when they changed, or an hour after
// it last did, as the `run` daemon does; in between it reports the list it kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PackageDatabases } from '@/collector/gather/packages/index';
import { gatherPackagesKept } from '@/collector/gather/packages/package-list-file';
import type { PackageRow } from '@/lib/schemas/snapshot';

const HOUR = 3_600_000;
const bash: PackageRow = { name: 'bash', version: '5.2.15-2+b8', arch: 'amd64', source: 'dpkg', installedAt: null };
const curl: PackageRow = { name: 'curl', version: '7.88.1-10', arch: 'amd64', source: 'dpkg', installedAt: null };

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'sockscope-package-list-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function fakeDatabases(rows: PackageRow[] | null) {
  const state = { fingerprint: 'status:1', rows, reads: 0, fingerprintFails: false };
  const databases: PackageDatabases = {
    fingerprint: async () => {
      if (state.fingerprintFails) throw new Error('EACCES');
      return state.fingerprint;
    },
    read: async () => {
      state.reads += 1;
      return state.rows;
    },
  };
  return { state, databases };
}

describe('gatherPackagesKept', () => {
  it('reads the databases once, then reports the kept list while they are unchanged', async () => {
    const { state, databases } = fakeDatabases([bash]);
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_000 })).toEqual([bash]);
    state.rows = [bash, curl];
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_000 + HOUR - 1 })).toEqual([bash]);
    expect(state.reads).toBe(1);
  });

  it('reads them again when a database file changed, or an hour later', async () => {
    const { state, databases } = fakeDatabases([bash]);
    await gatherPackagesKept(directory, { databases, now: 1_000_000 });
    state.rows = [bash, curl];
    state.fingerprint = 'status:2';
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_000 })).toEqual([bash, curl]);
    state.rows = [curl];
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_000 + HOUR })).toEqual([curl]);
    expect(state.reads).toBe(3);
  });

  it('keeps "no package database" too', async () => {
    const { state, databases } = fakeDatabases(null);
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_000 })).toBeNull();
    expect(await gatherPackagesKept(directory, { databases, now: 1_000_001 })).toBeNull();
    expect(state.reads).toBe(1);
  });

  it('reads every time without a cache directory, or when the databases cannot be looked at', async () => {
    const { state, databases } = fakeDatabases([bash]);
    await gatherPackagesKept(null, { databases });
    await gatherPackagesKept(null, { databases });
    state.fingerprintFails = true;
    await gatherPackagesKept(directory, { databases });
    await gatherPackagesKept(directory, { databases });
    expect(state.reads).toBe(4);
  });
});
