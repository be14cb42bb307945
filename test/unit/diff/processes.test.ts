import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '@/lib/diff/diff-snapshots';
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { processRow } from '@/test/unit/diff/builders';

function diffProcesses(before: ProcessRow[], after: ProcessRow[]) {
  return diffSnapshots({ processes: before }, { processes: after }).processes;
}

describe('diffSnapshots: processes', () => {
  it('reports started and exited processes', () => {
    const sshd = processRow();
    const cron = processRow({ pid: 300, command: 'cron', args: '/usr/sbin/cron -f' });

    expect(diffProcesses([sshd], [sshd, cron])).toEqual({ collected: true, added: [cron], removed: [], changed: [] });
    expect(diffProcesses([sshd, cron], [sshd]).removed).toEqual([cron]);
  });

  it('treats a reused pid (same pid and command, new start time) as exit + start, not a change', () => {
    const old = processRow({ pid: 4242, command: 'bash', args: 'bash', startedAt: '2026-11-21T09:00:00.000Z' });
    const reused = processRow({ pid: 4242, command: 'bash', args: 'bash', startedAt: '2026-11-21T09:45:00.000Z' });

    const diff = diffProcesses([old], [reused]);
    expect(diff.removed).toEqual([old]);
    expect(diff.added).toEqual([reused]);
    expect(diff.changed).toEqual([]);
  });

  it('treats a reused pid running another command as exit + start', () => {
    const diff = diffProcesses([processRow({ pid: 4242, command: 'bash' })], [processRow({ pid: 4242, command: 'nc' })]);

    expect(diff.removed).toHaveLength(1);
    expect(diff.added).toHaveLength(1);
  });

  it('reports new arguments on the same pid and start time as a change', () => {
    const before = processRow({ pid: 800, command: 'postgres', args: 'postgres: checkpointer' });
    const after = processRow({ pid: 800, command: 'postgres', args: 'postgres: checkpointer (idle)' });

    expect(diffProcesses([before], [after]).changed).toEqual([{ before, after, changes: ['args'] }]);
  });

  it('without start times, uses the arguments to tell a reused pid apart', () => {
    const before = processRow({ pid: 900, command: 'python3', args: 'python3 job-a.py', startedAt: null });
    const after = processRow({ pid: 900, command: 'python3', args: 'python3 job-b.py', startedAt: null });

    const diff = diffProcesses([before], [after]);
    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual([before]);
    expect(diff.added).toEqual([after]);
  });

  it('without start times, same pid, command and arguments is the same process', () => {
    const before = processRow({ startedAt: null, ppid: 1 });
    const after = processRow({ startedAt: null, ppid: 1 });

    expect(diffProcesses([before], [after]).changed).toEqual([]);
  });

  it('reports a re-parented or re-owned process as a change of those fields', () => {
    const before = processRow({ pid: 1500, ppid: 1400, user: 'alice', uid: 1000 });
    const after = processRow({ pid: 1500, ppid: 1, user: 'root', uid: 0 });

    expect(diffProcesses([before], [after]).changed).toEqual([{ before, after, changes: ['ppid', 'user', 'uid'] }]);
  });

  it('compares start times as instants, not spellings', () => {
    const before = processRow({ startedAt: '2026-11-21T09:00:00Z' });
    const after = processRow({ startedAt: '2026-11-21T10:00:00.000+01:00' });

    expect(diffProcesses([before], [after])).toEqual({ collected: true, added: [], removed: [], changed: [] });
  });

  it('matches a start time that became known by the arguments, and names startedAt', () => {
    const before = processRow({ startedAt: null });
    const after = processRow({ startedAt: '2026-11-21T09:00:00.000Z' });

    expect(diffProcesses([before], [after]).changed).toEqual([{ before, after, changes: ['startedAt'] }]);
  });

  it('handles a thousand processes with a few changes', () => {
    const before = Array.from({ length: 1000 }, (_, index) => processRow({ pid: 1000 + index, command: `worker${index % 50}` }));
    const after = before.map((row) => (row.pid % 100 === 0 ? { ...row, args: `${row.args} --reloaded` } : row)).reverse();

    const diff = diffProcesses(before, after);
    expect(diff.changed).toHaveLength(10);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });
});
