// "Which hosts listen on port X?" (and "who listens on :8080 in any container?") — asked of each
// host's current rows (the `_open` partition), through its partial index on listening ports.
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client';
import { port, type Container } from '@/lib/schemas/snapshot';
import { offsetOf, pagingSchema, toResultPage, type ResultPage } from './paging';

export const listenerSearchSchema = pagingSchema.extend({
  port: z.coerce.number().pipe(port),
  /** `any`: only listeners inside a container or another network namespace; `none`: only the hosts' own; default both. */
  namespace: z.enum(['any', 'none']).optional(),
});
export type ListenerSearch = z.infer<typeof listenerSearchSchema>;

export interface ListenerMatch {
  host: string;
  hostLastSeenAt: string | null;
  proto: string;
  localAddress: string;
  localPort: number;
  pid: number | null;
  process: string | null;
  user: string | null;
  /** The listener's network namespace (inode) when not its host's, and its container when known. */
  netns: number | null;
  container: Container | null;
}

/** As the database answers: a timestamp and a 64-bit namespace id, made text for JSON. */
type ListenerRow = Omit<ListenerMatch, 'hostLastSeenAt' | 'netns'> & { hostLastSeenAt: Date | null; netns: bigint | null };

export async function findListenersOnPort(prisma: PrismaClient, search: ListenerSearch): Promise<ResultPage<ListenerMatch>> {
  const inNamespace =
    search.namespace === 'any' ? Prisma.sql`AND k."netns" IS NOT NULL` : search.namespace === 'none' ? Prisma.sql`AND k."netns" IS NULL` : Prisma.empty;
  const [rows, counts] = await Promise.all([
    prisma.$queryRaw<ListenerRow[]>`
      SELECT h."name" AS "host", h."lastSeenAt" AS "hostLastSeenAt", k."proto", k."localAddress", k."localPort",
             k."pid", k."process", k."user", k."netns", k."container"
      FROM "Host" h
      JOIN "Socket" k ON k."hostId" = h."id" AND k."retainUntil" = 'infinity'::date
      WHERE k."localPort" = ${search.port} AND k."listening" = true ${inNamespace}
      ORDER BY h."name", k."proto", k."localAddress", k."pid" NULLS LAST, k."id"
      LIMIT ${search.pageSize} OFFSET ${offsetOf(search)}`,
    prisma.$queryRaw<{ total: number; hostCount: number }[]>`
      SELECT count(*)::int AS "total", count(DISTINCT h."id")::int AS "hostCount"
      FROM "Host" h
      JOIN "Socket" k ON k."hostId" = h."id" AND k."retainUntil" = 'infinity'::date
      WHERE k."localPort" = ${search.port} AND k."listening" = true ${inNamespace}`,
  ]);
  // The snapshot contract takes only safe integers for netns: exact as a number, as in every other answer.
  return toResultPage(
    rows.map((row) => ({ ...row, netns: row.netns === null ? null : Number(row.netns), hostLastSeenAt: row.hostLastSeenAt?.toISOString() ?? null })),
    counts[0],
    search,
  );
}
