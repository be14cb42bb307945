// process.new_binary at ingest, against the host's recorded programs (HostProgram): what a live
// host's collector really sends between two looks — a hash the budget left for the next snapshot,
// a short-lived process seen by name only — is not a new program; a changed binary is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollHost, findHostByToken, type AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { ingestValidSnapshot } from '@/lib/ingest/ingest-runner';
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { makeSnapshot } from '@/test/helpers/snapshots';
import { openTestDatabase, type TestDatabase } from '@/test/helpers/test-database';

let test: TestDatabase;
let previousLearningHours: string | undefined;
beforeAll(async () => {
  // Past learning from the second snapshot on, so every new program speaks.
  previousLearningHours = process.env.SOCKSCOPE_LEARNING_HOURS;
  process.env.SOCKSCOPE_LEARNING_HOURS = '0';
  test = await openTestDatabase();
});
afterAll(async () => {
  await test.dispose();
  if (previousLearningHours === undefined) delete process.env.SOCKSCOPE_LEARNING_HOURS;
  else process.env.SOCKSCOPE_LEARNING_HOURS = previousLearningHours;
});

const sha = (digit: string) => digit.repeat(64);
const run = (pid: number, exe: string | null, command: string, exeSha256: string | null = null): ProcessRow => ({
  pid,
  ppid: 1,
  user: 'root',
  uid: 0,
  command,
  args: `${exe ?? command} --serve`,
  startedAt: null,
  exe,
  exeSha256,
  exeDeleted: exe === null ? null : false,
});
const base = [run(1, '/usr/lib/systemd/systemd', 'systemd', sha('1')), run(200, '/usr/sbin/sshd', 'sshd', sha('2'))];

async function newHost(name: string): Promise<AuthenticatedHost> {
  const { token } = await enrollHost(test.database.prisma, name);
  return (await findHostByToken(test.database.prisma, token))!;
}

/** Ingests each round's processes in turn; the new-program alerts of each round after the first (without where else the program runs). */
async function newProgramAlerts(hostName: string, rounds: ProcessRow[][]): Promise<string[][]> {
  const host = await newHost(hostName);
  const raised: string[][] = [];
  for (const [round, processes] of rounds.entries()) {
    const snapshot = makeSnapshot(hostName, { processes: [...base, ...processes], collectedAt: new Date(Date.UTC(2026, 11, 1, 0, round)).toISOString() });
    const result = await ingestValidSnapshot(test.database.sql, host, snapshot);
    if (round > 0)
      raised.push((result.analysis?.alerts ?? []).filter((alert) => alert.kind === 'process.new_binary').map((alert) => alert.message.split(';')[0] ?? ''));
  }
  return raised;
}

describe('process.new_binary against the programs a host ran before', () => {
  it('raises a new program once, when its hash arrives a snapshot after its path', async () => {
    const raised = await newProgramAlerts('hash-later', [
      [],
      [run(300, '/opt/agent/bin/agent', 'agent')],
      [run(300, '/opt/agent/bin/agent', 'agent', sha('a'))],
    ]);
    expect(raised).toEqual([['hash-later: new program /opt/agent/bin/agent (pid 300, user root)'], []]);
  });

  it('raises a binary that changed under the same path', async () => {
    const raised = await newProgramAlerts('replaced', [
      [run(300, '/usr/local/bin/tool', 'tool', sha('a'))],
      [run(301, '/usr/local/bin/tool', 'tool', sha('b'))],
    ]);
    expect(raised).toEqual([['replaced: new program /usr/local/bin/tool (sha256 bbbbbbbbbbbb…, pid 301, user root)']]);
  });

  it('is silent for a process seen by its name only when the host ran its executable under that name', async () => {
    const raised = await newProgramAlerts('name-only', [
      [run(400, '/usr/bin/bash', 'bash', sha('c')), run(401, '/usr/lib/chromium/chrome_crashpad_handler', 'chrome_crashpad', sha('d'))],
      // Exited before the collector read their executables: by name, the kernel's 15 characters at most.
      [run(500, null, 'bash'), run(501, null, 'chrome_crashpad'), run(502, null, 'xmrig')],
    ]);
    expect(raised).toEqual([['name-only: new program xmrig (pid 502, user root)']]);
  });

  it('still knows a program by its path when a later process of it has no hash yet', async () => {
    const raised = await newProgramAlerts('unhashed-again', [
      [run(600, '/usr/bin/python3.11', 'python3', sha('e'))],
      [run(601, '/usr/bin/python3.11', 'python3')],
    ]);
    expect(raised).toEqual([[]]);
  });

  it('says how many other hosts of the same label, and of the fleet, run the program already', async () => {
    const label = 'prevalence-check';
    const agent = run(700, '/opt/prevalence/agent', 'agent', sha('c'));
    const post = async (name: string, labels: string[], processes: ProcessRow[], minute: number) => {
      const { token } = await enrollHost(test.database.prisma, name, labels);
      const host = (await findHostByToken(test.database.prisma, token))!;
      await ingestValidSnapshot(
        test.database.sql,
        host,
        makeSnapshot(name, { processes: base, collectedAt: new Date(Date.UTC(2026, 11, 2, 0, minute)).toISOString() }),
      );
      const result = await ingestValidSnapshot(
        test.database.sql,
        host,
        makeSnapshot(name, { processes: [...base, ...processes], collectedAt: new Date(Date.UTC(2026, 11, 2, 0, minute + 1)).toISOString() }),
      );
      return (result.analysis?.alerts ?? []).filter((alert) => alert.kind === 'process.new_binary').map((alert) => alert.message);
    };
    await post('prevalence-1', [label], [agent], 0);
    await post('prevalence-2', [label], [agent], 2);
    await post('prevalence-3', [label], [], 4);
    // Every host of this database but prevalence-5 itself, which is enrolled by the second post below.
    const otherHosts = (await test.database.prisma.host.count()) + 1;
    expect(await post('prevalence-4', [label], [agent], 6)).toEqual([
      `prevalence-4: new program /opt/prevalence/agent (sha256 cccccccccccc…, pid 700, user root); seen on 2 of 3 other hosts labelled ${label}`,
    ]);
    expect(await post('prevalence-5', [], [agent], 8)).toEqual([
      `prevalence-5: new program /opt/prevalence/agent (sha256 cccccccccccc…, pid 700, user root); seen on 3 of ${otherHosts} other hosts`,
    ]);
  });
});
