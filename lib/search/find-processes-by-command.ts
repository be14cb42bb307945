// "Which hosts run process Y?" — each host's current processes (the `_open` partition). An exact name uses the
// Process(command) index; "contains" is for when the analyst knows only part of the name.
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client';
import { queryText } from '@/lib/http/query-fields';
import { escapeLikePattern } from './like-pattern';
import { offsetOf, pagingSchema, toResultPage, type ResultPage } from './paging';

export const processSearchSchema = pagingSchema.extend({
  command: queryText(4096).pipe(z.string().trim().min(1)),
  match: z.enum(['exact', 'contains']).default('exact'),
});
export type ProcessSearch = z.infer<typeof processSearchSchema>;

/** Arguments can be 64 KiB; a search answer shows the start of them. */
const ARGS_PREVIEW_CHARS = 300;

export interface ProcessMatch {
  host: string;
  hostLastSeenAt: string | null;
  pid: number;
  ppid: number | null;
  user: string | null;
  command: string;
  args: string | null;
}

interface ProcessRow extends Omit<ProcessMatch, 'hostLastSeenAt'> {
  hostLastSeenAt: Date | null;
}

export async function findProcessesByCommand(prisma: PrismaClient, search: ProcessSearch): Promise<ResultPage<ProcessMatch>> {
  const matches =
    search.match === 'exact' ? Prisma.sql`p."command" = ${search.command}` : Prisma.sql`p."command" ILIKE ${`%${escapeLikePattern(search.command)}%`}`;
  const [rows, counts] = await Promise.all([
    prisma.$queryRaw<ProcessRow[]>`
      SELECT h."name" AS "host", h."lastSeenAt" AS "hostLastSeenAt", p."pid", p."ppid", p."user", p."command",
             left(p."args", ${ARGS_PREVIEW_CHARS}) AS "args"
      FROM "Host" h
      JOIN "Process" p ON p."hostId" = h."id" AND p."retainUntil" = 'infinity'::date
      WHERE ${matches}
      ORDER BY h."name", p."pid", p."id"
      LIMIT ${search.pageSize} OFFSET ${offsetOf(search)}`,
    prisma.$queryRaw<{ total: number; hostCount: number }[]>`
      SELECT count(*)::int AS "total", count(DISTINCT h."id")::int AS "hostCount"
      FROM "Host" h
      JOIN "Process" p ON p."hostId" = h."id" AND p."retainUntil" = 'infinity'::date
      WHERE ${matches}`,
  ]);
  return toResultPage(
    rows.map((row) => ({ ...row, hostLastSeenAt: row.hostLastSeenAt?.toISOString() ?? null })),
    counts[0],
    search,
  );
}
