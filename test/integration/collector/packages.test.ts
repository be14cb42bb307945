// The packages section through the real CLI: parse and import of package listings, and this
// machine's packages in `snapshot` and in the first snapshot of `run`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '@/lib/schemas/snapshot';
import { waitFor } from '@/test/helpers/wait-for';
import { repoRoot, runCli, startCli } from './cli-process';
import { SnapshotServer } from './snapshot-server';

const parseFixtures = path.join(repoRoot, 'test/fixtures/parse');
const token = 'sst_packages_token_3c2b1a';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'sockscope-packages-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parse --format for package listings', () => {
  it('prints { "packages": [...] }', async () => {
    const cases = [
      ['dpkg-l', 'dpkg-l/debian12-patterns.txt', 14],
      ['rpm-qa', 'rpm-qa/centos7-qa.txt', 20],
    ] as const;
    for (const [format, fixture, count] of cases) {
      const result = await runCli(['parse', '--format', format, path.join(parseFixtures, fixture)]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(0);
      const parsed = JSON.parse(result.stdout) as { packages: unknown[] };
      expect(Object.keys(parsed)).toEqual(['packages']);
      expect(parsed.packages).toHaveLength(count);
    }
  });

  it('exits 2 with FILE:LINE: reason for a listing it cannot trust, and for one that lists nothing', async () => {
    const cut = path.join(parseFixtures, 'dpkg-l/refused-dpkg118-cut-to-80-columns.txt');
    const result = await runCli(['parse', '--format', 'dpkg-l', cut]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `${cut}:6: name "zookeeper-3-0-" fills its 14-character column: this dpkg cut long values to the terminal width; list with dpkg-query -W instead\n`,
    );

    const empty = path.join(scratch, 'empty-rpm-qa.txt');
    writeFileSync(empty, '');
    const emptyResult = await runCli(['parse', '--format', 'rpm-qa', empty]);
    expect(emptyResult.code).toBe(2);
    expect(emptyResult.stderr).toBe(`${empty}: no packages: the output is empty (did the command fail?)\n`);
  });
});

describe('import of package listings', () => {
  let server: SnapshotServer;
  beforeAll(async () => {
    server = await SnapshotServer.start(token);
  });
  afterAll(() => server.close());

  it('sends the packages of another host, and only them, merged from several files', async () => {
    const files = ['rpm-qa/rhel9-qf-nevra.txt', 'rpm-qa/rhel9-collector-queryformat.txt'].map((file) => path.join(parseFixtures, file));
    const spoolDir = path.join(scratch, 'import-spool');
    const result = await runCli(['import', '--server', server.url, '--spool-dir', spoolDir, '--format', 'rpm-qa', '--host', 'rhel-01', ...files], {
      SOCKSCOPE_TOKEN: token,
    });
    expect(result.code, result.stderr).toBe(0);
    const snapshot = snapshotSchema.parse(server.storedSnapshots.at(-1));
    expect(snapshot.host.name).toBe('rhel-01');
    expect(snapshot.sockets).toBeUndefined();
    const names = snapshot.packages?.map((row) => `${row.name} ${row.version}`) ?? [];
    expect(names).toEqual([...names].sort());
    expect(names).toContain('openssl-libs 1:3.0.7-27.el9');
    expect(snapshot.packages?.every((row) => row.source === 'rpm')).toBe(true);
  });
});

describe("this machine's packages", () => {
  let server: SnapshotServer;
  beforeAll(async () => {
    server = await SnapshotServer.start(token);
  });
  afterAll(() => server.close());

  it('snapshot prints them with the other sections', async () => {
    const result = await runCli(['snapshot']);
    expect(result.code, result.stderr).toBe(0);
    const snapshot = snapshotSchema.parse(JSON.parse(result.stdout));
    expect(snapshot.packages?.length).toBeGreaterThan(100);
    expect(snapshot.packages?.some((row) => row.name === 'dpkg' && row.source === 'dpkg')).toBe(true);
  });

  it('run puts them in its first snapshot; --packages-interval 0 leaves them out', async () => {
    const spoolDir = path.join(scratch, 'run-spool');
    const once = await runCli(['run', '--once', '--server', server.url, '--spool-dir', spoolDir], { SOCKSCOPE_TOKEN: token });
    expect(once.code, once.stderr).toBe(0);
    const sent = snapshotSchema.parse(server.storedSnapshots.at(-1));
    expect(sent.packages?.length).toBeGreaterThan(100);
    expect(sent.packages?.find((row) => row.name === 'dpkg')?.source).toBe('dpkg');

    const off = await runCli(['run', '--once', '--server', server.url, '--spool-dir', spoolDir, '--packages-interval', '0'], { SOCKSCOPE_TOKEN: token });
    expect(off.code, off.stderr).toBe(0);
    expect(snapshotSchema.parse(server.storedSnapshots.at(-1)).packages).toBeUndefined();
  });

  it('run leaves them out of the snapshots between two reads', async () => {
    const spoolDir = path.join(scratch, 'run-schedule-spool');
    const stored = server.storedSnapshots.length;
    const cli = startCli(['run', '--server', server.url, '--spool-dir', spoolDir, '--interval', '1'], { SOCKSCOPE_TOKEN: token });
    try {
      await waitFor('three snapshots', () => server.storedSnapshots.length >= stored + 3, 60_000);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.finished;
    }
    const sent = server.storedSnapshots.slice(stored).map((snapshot) => snapshotSchema.parse(snapshot));
    expect(sent[0]?.packages?.length).toBeGreaterThan(100);
    // Unless someone installs a package meanwhile, the next ones have no packages section at all.
    const later = sent.slice(1).filter((snapshot) => snapshot.packages !== undefined);
    expect(later.length).toBeLessThan(sent.length - 1);
  });

  it('names a malformed packages interval', async () => {
    const result = await runCli(['run', '--once', '--server', server.url, '--token', token, '--packages-interval', 'hourly']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bad config: --packages-interval must be a number of seconds from 0 (off) to 86400\n');
  });
});
