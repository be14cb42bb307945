import { describe, expect, it } from 'vitest';
import { DeltaEncoder } from '@/collector/delta';
import type { ProcessRow, Snapshot } from '@/lib/schemas/snapshot';

const process = (pid: number, args = `worker ${pid}`): ProcessRow => ({ pid, ppid: 1, user: 'app', uid: 1000, command: 'worker', args, startedAt: null });

function snapshotOf(key: string, processes: ProcessRow[]): Snapshot {
  return { version: 1, host: { name: 'web-01' }, collectedAt: '2026-12-03T10:00:00.000Z', idempotencyKey: key, processes };
}

describe('the collector’s delta encoder', () => {
  it('makes the same delta from a state it acknowledged after encoding it as from one it hashed afresh, duplicates included', () => {
    const first = snapshotOf('k1', [process(1), process(2), process(2)]);
    const second = snapshotOf('k2', [process(2), process(3), process(3)]);
    const third = snapshotOf('k3', [process(3), process(4)]);

    const reusing = new DeltaEncoder();
    reusing.acknowledge(first, '1');
    reusing.encode(second);
    reusing.acknowledge(second, '2');

    const fresh = new DeltaEncoder();
    fresh.acknowledge(second, '2');

    const delta = reusing.encode(third);
    expect(delta).toEqual(fresh.encode(third));
    const processes = (delta as { processes: { added: ProcessRow[]; removed: string[] } }).processes;
    expect(processes.added).toEqual([process(4)]);
    // Of the two rows of pid 3 one stays, one went; pid 2 went.
    expect(processes.removed).toHaveLength(2);
  });

  it('hashes afresh a snapshot acknowledged without being the one last encoded', () => {
    const encoder = new DeltaEncoder();
    encoder.acknowledge(snapshotOf('k1', [process(1)]), '1');
    encoder.encode(snapshotOf('k2', [process(2)]));
    const other = snapshotOf('k3', [process(5)]);
    encoder.acknowledge(other, '3');
    const delta = encoder.encode(snapshotOf('k4', [process(5), process(6)]));
    expect((delta as { processes: { added: ProcessRow[]; removed: string[] } }).processes).toMatchObject({ added: [process(6)], removed: [] });
  });
});
