// "Which hosts run openssl 3.0.2?" and "what was installed anywhere in the last 24 hours?" —
// asked of each host's current packages (the `_open` partition, by name and version), or of the
// package rows that appeared within a window (an installation or a new version; a host's first
// package list is its inventory, not news, and is left out).
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client';
import { escapeLikePattern } from './like-pattern';
import { queryText } from '@/lib/http/query-fields';
import { offsetOf, pagingSchema, toResultPage, type ResultPage } from './paging';

export const packageSearchSchema = pagingSchema
  .extend({
    name: queryText(256).pipe(z.string().trim().min(1)).optional(),
    match: z.enum(['exact', 'contains']).default('exact'),
    version: queryText(256).pipe(z.string().trim().min(1)).optional(),
    /** Only packages that appeared this many minutes back or less (default: any time, current packages). */
    appearedWithinMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(90 * 24 * 60)
      .optional(),
  })
  .refine((search) => search.name !== undefined || search.appearedWithinMinutes !== undefined, {
    message: 'give a package name, or appearedWithinMinutes, or both',
    path: ['name'],
  });
export type PackageSearch = z.infer<typeof packageSearchSchema>;

export interface PackageMatch {
  host: string;
  name: string;
  version: string;
  arch: string | null;
  source: string;
  /** When the snapshot that first had it (at this version) was collected. */
  appearedAt: string | null;
  /** Still installed (false: it appeared within the window and has gone since). */
  installed: boolean;
}

interface PackageRowOut extends Omit<PackageMatch, 'appearedAt'> {
  appearedAt: Date | null;
}

export async function findPackages(prisma: PrismaClient, search: PackageSearch, now = new Date()): Promise<ResultPage<PackageMatch>> {
  const conditions: Prisma.Sql[] = [];
  if (search.name !== undefined) {
    conditions.push(search.match === 'exact' ? Prisma.sql`p."name" = ${search.name}` : Prisma.sql`p."name" ILIKE ${`%${escapeLikePattern(search.name)}%`}`);
  }
  if (search.version !== undefined) conditions.push(Prisma.sql`p."version" = ${search.version}`);
  const appeared = search.appearedWithinMinutes !== undefined;
  if (appeared) {
    const since = new Date(now.getTime() - (search.appearedWithinMinutes as number) * 60_000);
    conditions.push(Prisma.sql`s."collectedAt" >= ${since}`);
    // Not the host's first package list: that is the inventory, not something installed then.
    conditions.push(Prisma.sql`p."openedSeq" > (SELECT min(f."openedSeq") FROM "Package" f WHERE f."hostId" = p."hostId")`);
  } else {
    conditions.push(Prisma.sql`p."retainUntil" = 'infinity'::date`);
  }
  const where = Prisma.join(conditions, ' AND ');
  const from = Prisma.sql`
    FROM "Package" p
    JOIN "Host" h ON h."id" = p."hostId"
    LEFT JOIN "Snapshot" s ON s."hostId" = p."hostId" AND s."seq" = p."openedSeq"`;
  const [rows, counts] = await Promise.all([
    prisma.$queryRaw<PackageRowOut[]>`
      SELECT h."name" AS "host", p."name", p."version", p."arch", p."source", s."collectedAt" AS "appearedAt", p."closedSeq" IS NULL AS "installed"
      ${from} WHERE ${where}
      ORDER BY ${appeared ? Prisma.sql`s."collectedAt" DESC NULLS LAST,` : Prisma.empty} h."name", p."name", p."arch", p."version"
      LIMIT ${search.pageSize} OFFSET ${offsetOf(search)}`,
    prisma.$queryRaw<{ total: number; hostCount: number }[]>`
      SELECT count(*)::int AS "total", count(DISTINCT p."hostId")::int AS "hostCount" ${from} WHERE ${where}`,
  ]);
  return toResultPage(
    rows.map((row) => ({ ...row, appearedAt: row.appearedAt?.toISOString() ?? null })),
    counts[0],
    search,
  );
}
