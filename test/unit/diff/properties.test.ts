// Properties every diff must hold, over small value domains so that collisions (same key, same
// row twice, widening pairs) are common rather than rare.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, isEmptyDiff, type SnapshotSections } from '@/lib/diff/diff-snapshots';
import type { InterfaceRow, ProcessRow, SocketRow, TracerouteRun } from '@/lib/schemas/snapshot';

const socketArbitrary: fc.Arbitrary<SocketRow> = fc.record(
  {
    proto: fc.constantFrom('tcp', 'tcp6', 'udp'),
    localAddress: fc.constantFrom('*', '0.0.0.0', '127.0.0.1', '10.0.0.5', '::', '::1'),
    localPort: fc.constantFrom(22, 80, null),
    remoteAddress: fc.constantFrom(null, '*', '10.0.0.9'),
    remotePort: fc.constantFrom(null, 4000),
    state: fc.constantFrom('LISTEN', 'ESTABLISHED', 'TIME_WAIT', null),
    pid: fc.constantFrom(null, 1, 2),
    process: fc.constantFrom(null, 'sshd', 'nc'),
    user: fc.constantFrom(null, 'root'),
    uid: fc.constantFrom(null, 0),
    inode: fc.constantFrom(1, 2),
  },
  { requiredKeys: ['proto', 'localAddress', 'localPort', 'remoteAddress', 'remotePort', 'state', 'pid', 'process', 'user', 'uid'] },
);

const processArbitrary: fc.Arbitrary<ProcessRow> = fc.record({
  pid: fc.constantFrom(1, 2, 3),
  ppid: fc.constantFrom(null, 1),
  user: fc.constantFrom(null, 'root', 'www-data'),
  uid: fc.constantFrom(null, 0),
  command: fc.constantFrom('bash', 'nc'),
  args: fc.constantFrom(null, 'bash', 'nc -l 4444'),
  startedAt: fc.constantFrom(null, '2026-11-21T09:00:00.000Z', '2026-11-21T09:00:00Z', '2026-11-21T10:00:00.000Z'),
});

const interfaceArbitrary: fc.Arbitrary<InterfaceRow> = fc.record({
  name: fc.constantFrom('eth0', 'eth1', 'lo'),
  flags: fc.subarray(['UP', 'RUNNING', 'PROMISC', 'MULTICAST']),
  promiscuous: fc.boolean(),
  mtu: fc.constantFrom(null, 1500, 9000),
  mac: fc.constantFrom(null, '00:01:02:45:45:5b', '00:01:02:45:45:5B'),
  addresses: fc.subarray(['10.0.0.1/8', 'fe80::1/64']),
});

const probeArbitrary = fc.record({
  address: fc.constantFrom(null, '10.0.0.1', '10.0.0.2'),
  name: fc.constant(null),
  rttMs: fc.constantFrom(null, 1, 80),
  annotation: fc.constantFrom(null, '!H'),
});

const tracerouteArbitrary: fc.Arbitrary<TracerouteRun> = fc.record({
  target: fc.constantFrom('a.example', 'b.example'),
  targetAddress: fc.constantFrom(null, '192.0.2.1'),
  hops: fc.array(fc.array(probeArbitrary, { maxLength: 3 }), { maxLength: 3 }).map((hops) => hops.map((probes, index) => ({ hop: index + 1, probes }))),
});

const sectionsArbitrary: fc.Arbitrary<SnapshotSections> = fc.record(
  {
    sockets: fc.array(socketArbitrary, { maxLength: 10 }),
    processes: fc.array(processArbitrary, { maxLength: 8 }),
    interfaces: fc.array(interfaceArbitrary, { maxLength: 5 }),
    traceroutes: fc.array(tracerouteArbitrary, { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

function shuffled<T>(rows: readonly T[] | undefined): fc.Arbitrary<T[] | undefined> {
  if (rows === undefined) return fc.constant(undefined);
  return fc.shuffledSubarray([...rows], { minLength: rows.length, maxLength: rows.length });
}

/** The same sections, each in another order (sections stay absent when absent). */
function shuffledSections(sections: SnapshotSections): fc.Arbitrary<SnapshotSections> {
  return fc
    .tuple(shuffled(sections.sockets), shuffled(sections.processes), shuffled(sections.interfaces), shuffled(sections.traceroutes))
    .map(([sockets, processes, interfaces, traceroutes]) => withoutUndefined({ sockets, processes, interfaces, traceroutes }));
}

/** The same sections with some rows printed again (as fresh copies). */
function withDuplicates(sections: SnapshotSections, count: number): SnapshotSections {
  const again = <T>(rows: readonly T[] | undefined) => (rows === undefined ? undefined : [...rows, ...rows.slice(0, count).map((row) => structuredClone(row))]);
  return withoutUndefined({
    sockets: again(sections.sockets),
    processes: again(sections.processes),
    interfaces: again(sections.interfaces),
    traceroutes: again(sections.traceroutes),
  });
}

function withoutUndefined(sections: SnapshotSections): SnapshotSections {
  return Object.fromEntries(Object.entries(sections).filter(([, rows]) => rows !== undefined));
}

const shuffledPair = fc
  .tuple(sectionsArbitrary, sectionsArbitrary)
  .chain(([before, after]) => fc.tuple(fc.constant(before), fc.constant(after), shuffledSections(before), shuffledSections(after)));

describe('diffSnapshots properties', () => {
  it('finds no difference between a snapshot and itself, in any row order', () => {
    fc.assert(
      fc.property(
        sectionsArbitrary.chain((sections) => fc.tuple(fc.constant(sections), shuffledSections(sections))),
        ([sections, reordered]) => {
          expect(isEmptyDiff(diffSnapshots(sections, sections))).toBe(true);
          expect(isEmptyDiff(diffSnapshots(sections, reordered))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same diff, in the same order, however either side is shuffled', () => {
    fc.assert(
      fc.property(shuffledPair, ([before, after, shuffledBefore, shuffledAfter]) => {
        expect(diffSnapshots(shuffledBefore, shuffledAfter)).toEqual(diffSnapshots(before, after));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same diff when rows are printed twice', () => {
    fc.assert(
      fc.property(sectionsArbitrary, sectionsArbitrary, fc.nat(4), fc.nat(4), (before, after, extraBefore, extraAfter) => {
        const duplicated = diffSnapshots(withDuplicates(before, extraBefore), withDuplicates(after, extraAfter));
        expect(duplicated).toEqual(diffSnapshots(before, after));
      }),
      { numRuns: 500 },
    );
  });

  it('only reports rows of the snapshots, and only changed rows that name a change', () => {
    fc.assert(
      fc.property(sectionsArbitrary, sectionsArbitrary, (before, after) => {
        const diff = diffSnapshots(before, after);
        for (const name of ['sockets', 'processes', 'interfaces', 'traceroutes'] as const) {
          const beforeRows = new Set<unknown>(before[name] ?? []);
          const afterRows = new Set<unknown>(after[name] ?? []);
          const section = diff[name];
          expect(section.collected).toBe(before[name] !== undefined && after[name] !== undefined);
          expect(section.added.every((row) => afterRows.has(row))).toBe(true);
          expect(section.removed.every((row) => beforeRows.has(row))).toBe(true);
          for (const row of section.changed) {
            expect(beforeRows.has(row.before) && afterRows.has(row.after)).toBe(true);
            expect(row.changes.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
