// process.new_binary with what ingest knows of the host's programs: keyed by executable and hash,
// silent while a new host learns its normal programs (except what must never wait), its level set
// by how common the program is; and process.deleted_executable.
import { describe, expect, it } from 'vitest';
import { programId, programKeyOf, type NewProgram, type ProgramContext } from '@/lib/alerts/rules/programs';
import { NEW_BINARY_LEVELS } from '@/lib/alerts/rules/process-alerts';
import { evaluateAlerts } from '@/lib/alerts/rules/evaluate-alerts';
import { diffSnapshots } from '@/lib/diff/diff-snapshots';
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { processRow } from '@/test/unit/diff/builders';

const sha = (digit: string) => digit.repeat(64);
const run = (exe: string, overrides: Partial<ProcessRow> = {}): ProcessRow =>
  processRow({ pid: 7000, command: exe.split('/').at(-1) ?? exe, exe, exeSha256: sha('a'), exeDeleted: false, ...overrides });

function evaluate(opened: ProcessRow[], context: Partial<ProgramContext> & { seen?: NewProgram | null } = {}, hostLabels = ['web']) {
  const { seen = { labelHosts: 0, labelHostCount: 312, fleetHosts: 0, fleetHostCount: 2000 }, ...rest } = context;
  const programs: ProgramContext = {
    isLearning: false,
    isFirstLook: false,
    newPrograms: new Map(opened.map((row) => [programId(programKeyOf(row)), seen] as const)),
    listeningPids: new Set(),
    ...rest,
  };
  const after = { processes: opened };
  return evaluateAlerts({
    hostName: 'web-01',
    hostLabels,
    diff: diffSnapshots({ processes: [] }, after),
    previous: { processes: [] },
    current: after,
    expectedListeners: [],
    promiscuousRules: [],
    programs,
  });
}

describe('process.new_binary from what ingest knows', () => {
  it('names the program by its executable and hash, and how common it is among hosts of its label', () => {
    const [alert] = evaluate([run('/usr/local/bin/agent', { user: 'app' })]);
    expect(alert).toMatchObject({
      kind: 'process.new_binary',
      level: NEW_BINARY_LEVELS.nowhere,
      dedupeKey: `process.new_binary:/usr/local/bin/agent:${sha('a')}`,
    });
    expect(alert?.message).toBe(
      'web-01: new program /usr/local/bin/agent (sha256 aaaaaaaaaaaa…, pid 7000, user app); seen on 0 of 312 other hosts labelled web',
    );
  });

  it('is a lower level when hosts of its label already run it, and in between when only other hosts do', () => {
    expect(evaluate([run('/usr/bin/node')], { seen: { labelHosts: 40, labelHostCount: 312, fleetHosts: 90, fleetHostCount: 2000 } })[0]?.level).toBe(
      NEW_BINARY_LEVELS.sameLabel,
    );
    expect(evaluate([run('/usr/bin/node')], { seen: { labelHosts: 0, labelHostCount: 312, fleetHosts: 3, fleetHostCount: 2000 } })[0]?.level).toBe(
      NEW_BINARY_LEVELS.elsewhere,
    );
  });

  it('stays silent while the host learns, except for a program from a writable place or a new one that listens', () => {
    expect(evaluate([run('/usr/bin/sleep')], { isLearning: true })).toEqual([]);
    // A copy of sshd in /tmp under the familiar name: always news, learning or not.
    const copied = evaluate([run('/tmp/.x/sshd', { command: 'sshd', exeSha256: sha('b') })], { isLearning: true });
    expect(copied).toEqual([expect.objectContaining({ kind: 'process.new_binary', level: NEW_BINARY_LEVELS.writablePlace })]);
    expect(copied[0]?.message).toContain('runs from a writable place');
    const listening = evaluate([run('/opt/svc/bin/svc', { pid: 8100 })], { isLearning: true, listeningPids: new Set([8100]) });
    expect(listening[0]?.message).toContain('listens');
    // Not on a host's first look: its daemons all listen, and they are its inventory.
    expect(evaluate([run('/opt/svc/bin/svc', { pid: 8100 })], { isLearning: true, isFirstLook: true, listeningPids: new Set([8100]) })).toEqual([]);
  });

  it('says nothing of where else a program runs when there is nowhere else', () => {
    const [alone] = evaluate([run('/usr/local/bin/agent')], { seen: { labelHosts: 0, labelHostCount: 0, fleetHosts: 0, fleetHostCount: 0 } }, []);
    expect(alone?.message).toBe('web-01: new program /usr/local/bin/agent (sha256 aaaaaaaaaaaa…, pid 7000, user root)');
    // A label no other host has: the fleet is the next best comparison.
    const [labelled] = evaluate([run('/usr/local/bin/agent')], { seen: { labelHosts: 0, labelHostCount: 0, fleetHosts: 4, fleetHostCount: 9 } }, ['lab']);
    expect(labelled?.message).toMatch(/; seen on 4 of 9 other hosts$/);
  });

  it('raises nothing for a program the host ran before, under any pid', () => {
    const row = run('/usr/sbin/nginx');
    const known = evaluateAlerts({
      hostName: 'web-01',
      hostLabels: [],
      diff: diffSnapshots({ processes: [] }, { processes: [row] }),
      previous: { processes: [] },
      current: { processes: [row] },
      expectedListeners: [],
      promiscuousRules: [],
      programs: { isLearning: false, isFirstLook: false, newPrograms: new Map(), listeningPids: new Set() },
    });
    expect(known).toEqual([]);
  });
});

describe('process.deleted_executable', () => {
  it('raises it (level 12) for a process whose executable was deleted, learning or not', () => {
    const alerts = evaluate([run('/var/lib/.cache/kdevtmpfsi', { exeDeleted: true, user: 'www-data' })], { isLearning: true, newPrograms: new Map() });
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: 'process.deleted_executable',
        level: 12,
        message: 'web-01: kdevtmpfsi runs from /var/lib/.cache/kdevtmpfsi, deleted from disk while it runs (pid 7000, user www-data)',
      }),
    ]);
  });

  it('calls an executable that only ever lived in memory fileless, not deleted', () => {
    const [alert] = evaluate([run('/memfd:payload', { command: 'kworker', exeDeleted: true })], { newPrograms: new Map() });
    expect(alert?.message).toBe('web-01: kworker runs from memory only (memfd:payload), no file on disk (pid 7000, user root)');
  });
});
