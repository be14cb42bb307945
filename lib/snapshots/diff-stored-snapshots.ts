// Diff of any two snapshots of one host (not only neighbours), by meaning. The rows that differ
// come from the row ranges alone (lib/history/read-rows.ts): the cost follows what changed between
// the two, not the host's inventory or history.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { prismaSqlRunner } from '@/lib/db/sql-client';
import { diffInterfaces } from '@/lib/diff/interface-diff';
import { diffPackages } from '@/lib/diff/package-diff';
import { diffProcesses } from '@/lib/diff/process-diff';
import { diffSockets } from '@/lib/diff/socket-diff';
import { summarizeDiff } from '@/lib/diff/summarize-diff';
import { diffTraceroutes } from '@/lib/diff/traceroute-diff';
import type { SnapshotDiff } from '@/lib/diff/types';
import { readChangesBetween } from '@/lib/history/read-rows';
import { readTracerouteRunsAt } from '@/lib/history/traceroute-runs';
import { AppError } from '@/lib/errors';
import type { RowSection } from '@/lib/schemas/row-hash';
import type { SnapshotSection } from '@/lib/schemas/snapshot';
import type { SqlRunner } from '@/lib/db/sql-client';

const notCollected = { collected: false, added: [], removed: [], changed: [] };

export async function diffStoredSnapshots(prisma: PrismaClient, hostName: string, fromId: bigint, toId: bigint) {
  const host = await prisma.host.findUnique({ where: { name: hostName }, select: { id: true } });
  if (!host) throw new AppError('not_found', `No host named ${hostName}.`);
  const [from, to] = await Promise.all([
    prisma.snapshot.findFirst({ where: { id: fromId, hostId: host.id } }),
    prisma.snapshot.findFirst({ where: { id: toId, hostId: host.id } }),
  ]);
  if (!from) throw new AppError('not_found', `Host ${hostName} has no snapshot ${fromId}.`, [{ path: 'from', message: 'no such snapshot of this host' }]);
  if (!to) throw new AppError('not_found', `Host ${hostName} has no snapshot ${toId}.`, [{ path: 'to', message: 'no such snapshot of this host' }]);
  const sql = prismaSqlRunner(prisma);
  // A section either snapshot did not collect cannot be compared: its diff is empty, `collected: false`.
  // Packages are read on their own schedule (hourly), so most snapshots carry none: theirs are
  // compared as they stood at each snapshot, once the host's first package list came before both.
  const packagesKnownFrom = await firstPackageSeq(sql, host.id);
  const bothCollected = (section: SnapshotSection) =>
    section === 'packages'
      ? packagesKnownFrom !== null && packagesKnownFrom <= Math.min(from.seq, to.seq)
      : from.sections.includes(section) && to.sections.includes(section);
  const changesOf = <S extends RowSection>(section: S) => (bothCollected(section) ? readChangesBetween(sql, section, host.id, from.seq, to.seq) : null);
  const [sockets, processes, interfaces, packages, runs] = await Promise.all([
    changesOf('sockets'),
    changesOf('processes'),
    changesOf('interfaces'),
    changesOf('packages'),
    bothCollected('traceroutes') ? Promise.all([readTracerouteRunsAt(sql, host.id, from.seq), readTracerouteRunsAt(sql, host.id, to.seq)]) : null,
  ]);
  const diff: SnapshotDiff = {
    sockets: sockets ? diffSockets(sockets.removed, sockets.added) : notCollected,
    processes: processes ? diffProcesses(processes.removed, processes.added) : notCollected,
    interfaces: interfaces ? diffInterfaces(interfaces.removed, interfaces.added) : notCollected,
    traceroutes: runs ? diffTraceroutes(runs[0], runs[1]) : notCollected,
    packages: packages ? diffPackages(packages.removed, packages.added) : notCollected,
  };
  return {
    host: hostName,
    from: { id: from.id.toString(), collectedAt: from.collectedAt.toISOString() },
    to: { id: to.id.toString(), collectedAt: to.collectedAt.toISOString() },
    summary: summarizeDiff(diff),
    ...diff,
  };
}

async function firstPackageSeq(sql: SqlRunner, hostId: number): Promise<number | null> {
  const [row] = await sql.query<{ seq: number | null }>(`SELECT min("openedSeq") AS "seq" FROM "Package" WHERE "hostId" = $1::int`, [hostId]);
  return row?.seq ?? null;
}
