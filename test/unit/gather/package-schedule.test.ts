import { describe, expect, it } from 'vitest';
import type { PackageDatabases } from '@/collector/gather/packages/index';
import { PackageSchedule } from '@/collector/gather/packages/package-schedule';
import type { PackageRow } from '@/lib/schemas/snapshot';

const HOUR = 3_600_000;
const bash: PackageRow = { name: 'bash', version: '5.2.15-2+b8', arch: 'amd64', source: 'dpkg', installedAt: null };

/** Package databases whose fingerprint, contents and failures the test sets; reads are counted. */
function fakeDatabases(rows: PackageRow[] | null = [bash]) {
  const state = { fingerprint: 'status:1', rows, failure: null as Error | null, reads: 0 };
  const databases: PackageDatabases = {
    fingerprint: async () => state.fingerprint,
    read: async () => {
      state.reads += 1;
      if (state.failure) throw state.failure;
      return state.rows;
    },
  };
  return { state, databases };
}

function schedule(intervalMs: number, databases: PackageDatabases) {
  const clock = { now: 1_000_000 };
  const warnings: string[] = [];
  const log = { info() {}, warn: (message: string) => warnings.push(message), error() {} };
  return { clock, warnings, packages: new PackageSchedule({ intervalMs, log, databases, now: () => clock.now }) };
}

describe('PackageSchedule', () => {
  it('puts the packages in the first snapshot, then leaves them out until the interval has passed', async () => {
    const { state, databases } = fakeDatabases();
    const { clock, packages } = schedule(HOUR, databases);
    expect(await packages.takeIfDue()).toEqual([bash]);
    clock.now += 60_000;
    expect(await packages.takeIfDue()).toBeUndefined();
    clock.now += HOUR - 60_000;
    expect(await packages.takeIfDue()).toEqual([bash]);
    expect(state.reads).toBe(2);
  });

  it('reads again at the next snapshot when a database file changed', async () => {
    const { state, databases } = fakeDatabases();
    const { clock, packages } = schedule(HOUR, databases);
    await packages.takeIfDue();
    clock.now += 60_000;
    state.fingerprint = 'status:2';
    expect(await packages.takeIfDue()).toEqual([bash]);
    clock.now += 60_000;
    expect(await packages.takeIfDue()).toBeUndefined();
  });

  it('is off with an interval of 0: no reads, no section', async () => {
    const { state, databases } = fakeDatabases();
    const { packages } = schedule(0, databases);
    expect(await packages.takeIfDue()).toBeUndefined();
    expect(state.reads).toBe(0);
  });

  it('leaves the section out on a host without package database, and tries again an interval later', async () => {
    const { state, databases } = fakeDatabases(null);
    const { clock, packages } = schedule(HOUR, databases);
    expect(await packages.takeIfDue()).toBeUndefined();
    clock.now += 60_000;
    await packages.takeIfDue();
    expect(state.reads).toBe(1);
  });

  it('sends an empty list for a database with nothing installed: collected, and empty', async () => {
    const { databases } = fakeDatabases([]);
    expect(await schedule(HOUR, databases).packages.takeIfDue()).toEqual([]);
  });

  it('logs a failed read once and retries at the next change or interval, not at every snapshot', async () => {
    const { state, databases } = fakeDatabases();
    state.failure = new Error('/var/lib/dpkg/status:12: stanza has no Package field');
    const { clock, warnings, packages } = schedule(HOUR, databases);
    expect(await packages.takeIfDue()).toBeUndefined();
    clock.now += 60_000;
    expect(await packages.takeIfDue()).toBeUndefined();
    expect(state.reads).toBe(1);
    expect(warnings).toEqual([
      'could not read the installed packages (/var/lib/dpkg/status:12: stanza has no Package field); snapshots go without them until the next try',
    ]);
    state.failure = null;
    state.fingerprint = 'status:2';
    expect(await packages.takeIfDue()).toEqual([bash]);
  });

  it('never fails the snapshot when the database files cannot even be stat-ed', async () => {
    const { state, databases } = fakeDatabases();
    state.failure = new Error('/var/lib/dpkg/status: permission denied');
    const unstatable: PackageDatabases = { ...databases, fingerprint: () => Promise.reject(new Error('EACCES: permission denied')) };
    const { clock, warnings, packages } = schedule(HOUR, unstatable);
    expect(await packages.takeIfDue()).toBeUndefined();
    clock.now += 60_000;
    expect(await packages.takeIfDue()).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('reads again for the next snapshot when the last one never reached the server', async () => {
    const { databases } = fakeDatabases();
    const { clock, packages } = schedule(HOUR, databases);
    await packages.takeIfDue();
    packages.markUndelivered();
    clock.now += 10_000;
    expect(await packages.takeIfDue()).toEqual([bash]);
  });
});
