// The fleet list: server-side paging and filtering, so 10,000 hosts never reach one page.
import { z } from 'zod';
import { Prisma, type PrismaClient } from '@/lib/generated/prisma/client';
import { queryText } from '@/lib/http/query-fields';
import type { HostStatus } from './host-status';

const hostStatuses = ['fresh', 'late', 'silent', 'never'] as const satisfies readonly HostStatus[];

export const hostListQuerySchema = z.object({
  q: queryText(253).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  promiscuous: z.enum(['1', 'true']).optional(),
  alerts: z.enum(['1', 'true']).optional(),
  status: z.enum(hostStatuses).optional(),
  label: queryText(64).pipe(z.string().min(1)).optional(),
});
export type HostListQuery = z.input<typeof hostListQuerySchema>;

interface HostSummary {
  name: string;
  os: string | null;
  labels: string[];
  intervalSeconds: number;
  lastSeenAt: string | null;
  listenerCount: number;
  promiscuousCount: number;
  openAlertCount: number;
}

export interface HostPage {
  hosts: HostSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface HostListOptions {
  /** Intervals without a snapshot before a host counts as silent (SOCKSCOPE_SILENT_AFTER_INTERVALS). */
  silentAfterIntervals?: number;
  now?: Date;
}

interface HostRow {
  name: string;
  os: string | null;
  labels: string[];
  intervalSeconds: number;
  lastSeenAt: Date | null;
  listenerCount: number;
  promiscuousCount: number;
  openAlertCount: number;
}

export async function listHosts(prisma: PrismaClient, input: HostListQuery, options: HostListOptions = {}): Promise<HostPage> {
  const query = hostListQuerySchema.parse(input);
  const where = whereClause(query, options.silentAfterIntervals ?? 3, options.now ?? new Date());
  const [rows, counts] = await Promise.all([
    prisma.$queryRaw<HostRow[]>`
      SELECT "name", "os", "labels", "intervalSeconds", "lastSeenAt", "listenerCount", "promiscuousCount", "openAlertCount"
      FROM "Host" ${where}
      ORDER BY "openAlertCount" DESC, "name" ASC
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS "total" FROM "Host" ${where}`,
  ]);
  return {
    hosts: rows.map((row) => ({ ...row, lastSeenAt: row.lastSeenAt?.toISOString() ?? null })),
    total: counts[0]?.total ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

// Status depends on each host's own interval, so it is computed in SQL rather than with Prisma's where.
function whereClause(query: z.output<typeof hostListQuerySchema>, silentAfterIntervals: number, now: Date): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (query.q) conditions.push(Prisma.sql`"name" ILIKE ${`%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`}`);
  if (query.promiscuous) conditions.push(Prisma.sql`"promiscuousCount" > 0`);
  if (query.alerts) conditions.push(Prisma.sql`"openAlertCount" > 0`);
  if (query.label) conditions.push(Prisma.sql`${query.label} = ANY("labels")`);
  if (query.status) conditions.push(statusCondition(query.status, silentAfterIntervals, now));
  return conditions.length === 0 ? Prisma.empty : Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}`;
}

/** The SQL twin of hostStatus() in host-status.ts. */
function statusCondition(status: HostStatus, silentAfterIntervals: number, now: Date): Prisma.Sql {
  const lateSince = Prisma.sql`${now}::timestamptz - ("intervalSeconds" * 2) * interval '1 second'`;
  const silentSince = Prisma.sql`${now}::timestamptz - ("intervalSeconds" * ${silentAfterIntervals}::int) * interval '1 second'`;
  switch (status) {
    case 'never':
      return Prisma.sql`"lastSeenAt" IS NULL`;
    case 'fresh':
      return Prisma.sql`"lastSeenAt" >= ${lateSince}`;
    case 'late':
      return Prisma.sql`"lastSeenAt" < ${lateSince} AND "lastSeenAt" >= ${silentSince}`;
    case 'silent':
      return Prisma.sql`"lastSeenAt" < ${silentSince}`;
  }
}
