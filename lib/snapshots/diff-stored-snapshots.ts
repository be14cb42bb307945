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
import { isoText } from '@/lib/history/row-tables';
import { readTracerouteRunsAt } from '@/lib/history/traceroute-runs';
import { AppError } from '@/lib/errors';
import type { RowSection } from '@/lib/schemas/row-hash';
import type { SnapshotSection } from '@/lib/schemas/snapshot';
import type { SqlRunner } from '@/lib/db/sql-client';

const notCollected = { collected: false, added: [], removed: [], changed: [] };

interface StoredSnapshotRef {
  id: string;
  seq: number;
  /** ISO text. */
  collectedAt: string;
  sections: SnapshotSection[];
}

export async function diffStoredSnapshots(prisma: PrismaClient, hostName: string, fromId: bigint, toId: bigint) {
  const sql = prismaSqlRunner(prisma);
  // The host and both snapshots in one round trip: on a busy host every query here crosses ~55 partitions.
  const found = await sql.query<StoredSnapshotRef & { hostId: number }>(
    `SELECT h."id" AS "hostId", s."id"::text AS "id", s."seq", ${isoText('s."collectedAt"')} AS "collectedAt", s."sections"::text[] AS "sections"
       FROM "Host" h LEFT JOIN "Snapshot" s ON s."hostId" = h."id" AND s."id" = ANY($2::bigint[])
      WHERE h."name" = $1`,
    [hostName, [fromId.toString(), toId.toString()]],
  );
  const hostId = found[0]?.hostId;
  if (hostId === undefined) throw new AppError('not_found', `No host named ${hostName}.`);
  const from = found.find((row) => row.id === fromId.toString());
  const to = found.find((row) => row.id === toId.toString());
  if (!from) throw new AppError('not_found', `Host ${hostName} has no snapshot ${fromId}.`, [{ path: 'from', message: 'no such snapshot of this host' }]);
  if (!to) throw new AppError('not_found', `Host ${hostName} has no snapshot ${toId}.`, [{ path: 'to', message: 'no such snapshot of this host' }]);
  // A section either snapshot did not collect cannot be compared: its diff is empty, `collected: false`.
  const bothCollected = (section: SnapshotSection) => from.sections.includes(section) && to.sections.includes(section);
  const changesOf = <S extends RowSection>(section: S) => (bothCollected(section) ? readChangesBetween(sql, section, hostId, from.seq, to.seq) : null);
  // Packages are read on their own schedule (hourly), so most snapshots carry none: theirs are
  // compared as they stood at each snapshot, once the host's first package list came before both.
  const packageChanges = async () => {
    const knownFrom = await firstPackageSeq(sql, hostId);
    return knownFrom !== null && knownFrom <= Math.min(from.seq, to.seq) ? readChangesBetween(sql, 'packages', hostId, from.seq, to.seq) : null;
  };
  const [sockets, processes, interfaces, packages, runs] = await Promise.all([
    changesOf('sockets'),
    changesOf('processes'),
    changesOf('interfaces'),
    packageChanges(),
    bothCollected('traceroutes') ? Promise.all([readTracerouteRunsAt(sql, hostId, from.seq), readTracerouteRunsAt(sql, hostId, to.seq)]) : null,
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
    from: { id: from.id, collectedAt: from.collectedAt },
    to: { id: to.id, collectedAt: to.collectedAt },
    summary: summarizeDiff(diff),
    ...diff,
  };
}

async function firstPackageSeq(sql: SqlRunner, hostId: number): Promise<number | null> {
  const [row] = await sql.query<{ seq: number | null }>(`SELECT min("openedSeq") AS "seq" FROM "Package" WHERE "hostId" = $1::int`, [hostId]);
  return row?.seq ?? null;
}
