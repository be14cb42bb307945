// Diff of any two snapshots of one host (not only neighbours), by meaning. The rows that differ
// come from the row ranges alone (lib/history/read-rows.ts): the cost follows what changed between
// the two, not the host's inventory or history.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { serverSqlClient } from '@/lib/db/client';
import { prismaSqlRunner } from '@/lib/db/sql-client';
import { diffInterfaces } from '@/lib/diff/interface-diff';
import { diffPackages } from '@/lib/diff/package-diff';
import { diffProcesses } from '@/lib/diff/process-diff';
import { diffSockets } from '@/lib/diff/socket-diff';
import { summarizeDiff } from '@/lib/diff/summarize-diff';
import { diffTraceroutes } from '@/lib/diff/traceroute-diff';
import type { SnapshotDiff } from '@/lib/diff/types';
import { hadRowsBy, readChangesBetween } from '@/lib/history/read-rows';
import { isoText } from '@/lib/history/row-tables';
import { readTracerouteRunsAt } from '@/lib/history/traceroute-runs';
import { AppError } from '@/lib/errors';
import { rowSections } from '@/lib/schemas/row-hash';
import type { SnapshotSection } from '@/lib/schemas/snapshot';

const notCollected = { collected: false, added: [], removed: [], changed: [] };

interface StoredSnapshotRef {
  id: string;
  seq: number;
  /** `YYYY-MM-DD`. */
  retainUntil: string;
  /** ISO text. */
  collectedAt: string;
  sections: SnapshotSection[];
}

export async function diffStoredSnapshots(prisma: PrismaClient, hostName: string, fromId: bigint, toId: bigint) {
  // The server's own driver when there is one: Prisma costs more CPU per statement than these reads.
  const sql = (await serverSqlClient(prisma)) ?? prismaSqlRunner(prisma);
  // The host and both snapshots in one round trip, planned once per connection: a snapshot's id
  // does not say its week, so this one crosses every week partition.
  const found = await sql.query<StoredSnapshotRef & { hostId: number }>(
    `SELECT h."id" AS "hostId", s."id"::text AS "id", s."seq", to_char(s."retainUntil", 'YYYY-MM-DD') AS "retainUntil",
            ${isoText('s."collectedAt"')} AS "collectedAt", s."sections"::text[] AS "sections"
       FROM "Host" h LEFT JOIN "Snapshot" s ON s."hostId" = h."id" AND s."id" = ANY($2::bigint[])
      WHERE h."name" = $1`,
    [hostName, [fromId.toString(), toId.toString()]],
    { statementName: 'sockscope_diff_snapshots' },
  );
  const hostId = found[0]?.hostId;
  if (hostId === undefined) throw new AppError('not_found', `No host named ${hostName}.`);
  const from = found.find((row) => row.id === fromId.toString());
  const to = found.find((row) => row.id === toId.toString());
  if (!from) throw new AppError('not_found', `Host ${hostName} has no snapshot ${fromId}.`, [{ path: 'from', message: 'no such snapshot of this host' }]);
  if (!to) throw new AppError('not_found', `Host ${hostName} has no snapshot ${toId}.`, [{ path: 'to', message: 'no such snapshot of this host' }]);
  // A section either snapshot did not collect cannot be compared: its diff is empty, `collected: false`.
  const bothCollected = (section: SnapshotSection) => from.sections.includes(section) && to.sections.includes(section);
  // Packages are read on their own schedule (hourly), so most snapshots carry none: theirs are
  // compared as they stood at each snapshot, once the host's first package list came before both.
  // That is asked at the same time as the reads, and the package changes dropped if the answer is no
  // (read for nothing only when the diff spans the host's first package list).
  const compared = rowSections.filter((section) => section === 'packages' || bothCollected(section));
  const [packagesKnown, changes, runs] = await Promise.all([
    hadRowsBy(sql, 'packages', hostId, from.seq <= to.seq ? from : to),
    readChangesBetween(sql, compared, hostId, from, to),
    bothCollected('traceroutes') ? Promise.all([readTracerouteRunsAt(sql, hostId, from.seq), readTracerouteRunsAt(sql, hostId, to.seq)]) : null,
  ]);
  const { sockets, processes, interfaces } = changes as Partial<typeof changes>;
  const packages = packagesKnown ? changes.packages : null;
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
