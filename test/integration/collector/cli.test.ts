// The command-line contract (docs/collector.md, collector/exit-codes.ts): exit codes, one-line errors, parse output, import.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema, type Snapshot } from '@/lib/schemas/snapshot';
import { lsofFieldsToCsv } from '@/collector/parse/lsof-fields';
import { closeFromClientSide, type ClosedConnection } from '../gather/time-wait-connection';
import { runCli } from './cli-process';
import { SnapshotServer } from './snapshot-server';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const lsofOut = path.join(fixtures, 'client_0001_20021119145438_lsof.out');
const lsofEnv = path.join(fixtures, 'client_0001_20021119145438_lsof.env');
const token = 'sst_cli_token_77aa88bb';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'sockscope-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectOneLineError(result: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(result.code).toBe(2);
  expect(result.stderr.split('\n')).toHaveLength(2);
  expect(result.stderr.trimEnd()).toMatch(pattern);
}

describe('parse', () => {
  it('prints the parsed sections as JSON', async () => {
    const result = await runCli(['parse', '--format', 'lsof-F', lsofOut]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { sockets: { process: string; localPort: number }[] };
    expect(parsed.sockets.map((socket) => `${socket.process}:${socket.localPort}`)).toContain('sendmail:25');
  });

  it('prints exactly the lsof-socket-out2csv table with --csv', async () => {
    const result = await runCli(['parse', '--format', 'lsof-F', '--csv', lsofOut]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(lsofFieldsToCsv(readFileSync(lsofOut, 'utf8')));
  });

  it('refuses --csv with any other format', async () => {
    expectOneLineError(await runCli(['parse', '--format', 'netstat', '--csv', lsofOut]), /--csv works only with --format lsof-F$/);
  });

  it('names the file for an unknown format and for a missing file', async () => {
    expectOneLineError(await runCli(['parse', '--format', 'nmap', lsofOut]), /lsof\.out: unknown format "nmap" \(expected one of lsof-F,/);
    expectOneLineError(await runCli(['parse', '--format', 'ss', 'no/such/file.txt']), /^no\/such\/file\.txt: no such file$/);
  });

  it('names the file and line of malformed input', async () => {
    const broken = path.join(scratch, 'broken.lsof');
    writeFileSync(broken, 'p77\nR1\ncsyslogd\n%%% not an lsof field line\n');
    expectOneLineError(await runCli(['parse', '--format', 'lsof-F', broken]), /broken\.lsof:\d+: \S/);
  });

  it('exits 2 with one line on a usage error', async () => {
    expectOneLineError(await runCli(['parse', lsofOut]), /required option '--format <format>' not specified/);
    expectOneLineError(await runCli(['parse', '--format', 'ss', '--formt', 'ss', lsofOut]), /unknown option '--formt'/);
  });
});

describe('snapshot', () => {
  it("prints this machine's snapshot, valid against the contract", async () => {
    const result = await runCli(['snapshot']);
    expect(result.code).toBe(0);
    const snapshot = snapshotSchema.parse(JSON.parse(result.stdout));
    expect(snapshot.idempotencyKey.startsWith(`${snapshot.host.name.slice(0, 100)}-`)).toBe(true);
    expect(snapshot.idempotencyKey).toMatch(/-\d{13}-[0-9a-f]{8}$/);
    expect(Math.abs(Date.parse(snapshot.collectedAt) - Date.now())).toBeLessThan(60_000);
  });
});

describe('run and import configuration', () => {
  it('names the missing setting', async () => {
    const result = await runCli(['run', '--once', '--spool-dir', scratch], { SOCKSCOPE_SERVER: '', SOCKSCOPE_TOKEN: '' });
    expectOneLineError(result, /^bad config: server is missing: pass --server, set SOCKSCOPE_SERVER/);
  });

  it('names the malformed setting without echoing the token', async () => {
    const result = await runCli(['run', '--once', '--server', 'http://127.0.0.1:9', '--token', token, '--interval', 'often']);
    expectOneLineError(result, /^bad config: --interval must be a number of seconds/);
    expect(result.stderr).not.toContain(token);
  });
});

describe('run --once', () => {
  let server: SnapshotServer;
  beforeAll(async () => {
    server = await SnapshotServer.start(token);
  });
  afterAll(() => server.close());

  it("sends this machine's snapshot with the traceroutes it ran, and exits 0", async () => {
    const spoolDir = path.join(scratch, 'run-once-spool');
    const result = await runCli(['run', '--once', '--server', server.url, '--spool-dir', spoolDir, '--traceroute', '127.0.0.1'], {
      SOCKSCOPE_TOKEN: token,
      SOCKSCOPE_TRACEROUTE_TARGETS: '::1',
    });
    expect(result.stderr).not.toContain(token);
    expect(result.code).toBe(0);
    expect(server.storedSnapshots).toHaveLength(1);
    const snapshot = snapshotSchema.parse(server.storedSnapshots[0]);
    expect(snapshot.sockets?.length).toBeGreaterThan(0);
    // The flag overrides the environment's target list.
    expect(snapshot.traceroutes?.map((run) => run.target)).toEqual(['127.0.0.1']);
    expect(snapshot.traceroutes?.[0]?.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('TIME_WAIT entries', () => {
  let server: SnapshotServer;
  let listener: Server;
  let closed: ClosedConnection;
  beforeAll(async () => {
    server = await SnapshotServer.start(token);
    listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    closed = await closeFromClientSide((listener.address() as AddressInfo).port);
  });
  afterAll(async () => {
    await server.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  const hasClosedConnection = (snapshot: Snapshot) =>
    (snapshot.sockets ?? []).some((row) => row.localPort === closed.localPort && row.remotePort === closed.remotePort && row.state === 'TIME_WAIT');

  it('are left out of `snapshot` and listed by `snapshot --time-wait`', async () => {
    const [plain, withTimeWait] = await Promise.all([runCli(['snapshot']), runCli(['snapshot', '--time-wait'])]);
    expect(hasClosedConnection(snapshotSchema.parse(JSON.parse(plain.stdout)))).toBe(false);
    expect(withTimeWait.code).toBe(0);
    expect(hasClosedConnection(snapshotSchema.parse(JSON.parse(withTimeWait.stdout)))).toBe(true);
  });

  it('are sent by `run` when SOCKSCOPE_COLLECT_TIME_WAIT says so', async () => {
    const spoolDir = path.join(scratch, 'time-wait-spool');
    const result = await runCli(['run', '--once', '--server', server.url, '--spool-dir', spoolDir], {
      SOCKSCOPE_TOKEN: token,
      SOCKSCOPE_COLLECT_TIME_WAIT: 'yes',
    });
    expect(result.code).toBe(0);
    expect(hasClosedConnection(snapshotSchema.parse(server.storedSnapshots[0]))).toBe(true);
  });
});

describe('import', () => {
  let server: SnapshotServer;
  beforeAll(async () => {
    server = await SnapshotServer.start(token);
  });
  afterAll(() => server.close());

  it("sends another host's lsof output as one snapshot named and dated by its WebJob .env", async () => {
    const spoolDir = path.join(scratch, 'import-spool');
    const args = ['import', '--server', server.url, '--spool-dir', spoolDir, '--format', 'lsof-F', '--env', lsofEnv, lsofOut];
    const result = await runCli(args, { SOCKSCOPE_TOKEN: token });
    expect(result.stderr).not.toContain(token);
    expect(result.code).toBe(0);
    expect(server.storedSnapshots).toHaveLength(1);
    const snapshot = snapshotSchema.parse(server.storedSnapshots[0]);
    expect(snapshot.host).toEqual({ name: 'your.target.system.net', os: 'i386 FreeBSD 4.6.1-RELEASE-p10' });
    expect(snapshot.collectedAt.startsWith('2002-11-19T15:57:10')).toBe(true);
    expect(snapshot.run?.commandLine).toBe('lsof -Di -n -P -itcp -iudp -FLucRptPTn');
    expect(snapshot.sockets?.length).toBeGreaterThan(0);
    expect(snapshot.processes).toBeUndefined();

    // The same job imported again carries the same idempotency key: the server keeps one copy.
    await runCli(args, { SOCKSCOPE_TOKEN: token });
    expect(server.received.map((request) => request.status)).toEqual([202, 200]);
  });

  it('asks which host the output is from when neither --host nor --env says', async () => {
    const result = await runCli(['import', '--server', server.url, '--token', token, '--format', 'lsof-F', lsofOut]);
    expectOneLineError(result, /Pass --host NAME or --env FILE\.env with Hostname/);
  });

  it('lets --host name the host', async () => {
    const spoolDir = path.join(scratch, 'import-spool-2');
    const result = await runCli(['import', '--server', server.url, '--spool-dir', spoolDir, '--format', 'lsof-F', '--host', 'bsd-01', lsofOut], {
      SOCKSCOPE_TOKEN: token,
    });
    expect(result.code).toBe(0);
    expect((server.storedSnapshots.at(-1) as { host: { name: string } }).host.name).toBe('bsd-01');
  });
});
