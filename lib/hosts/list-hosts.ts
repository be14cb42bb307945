// The fleet list: server-side paging and filtering, so 10,000 hosts never reach one page.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';

export const hostListQuerySchema = z.object({
  q: z.string().max(253).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  promiscuous: z.enum(['1', 'true']).optional(),
  alerts: z.enum(['1', 'true']).optional(),
});
export type HostListQuery = z.infer<typeof hostListQuerySchema>;

export interface HostSummary {
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

export async function listHosts(prisma: PrismaClient, query: HostListQuery): Promise<HostPage> {
  const where: Prisma.HostWhereInput = {
    ...(query.q ? { name: { contains: query.q, mode: 'insensitive' } } : {}),
    ...(query.promiscuous ? { promiscuousCount: { gt: 0 } } : {}),
    ...(query.alerts ? { openAlertCount: { gt: 0 } } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma.host.findMany({
      where,
      orderBy: [{ openAlertCount: 'desc' }, { name: 'asc' }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    prisma.host.count({ where }),
  ]);
  return {
    hosts: rows.map((row) => ({
      name: row.name,
      os: row.os,
      labels: row.labels,
      intervalSeconds: row.intervalSeconds,
      lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
      listenerCount: row.listenerCount,
      promiscuousCount: row.promiscuousCount,
      openAlertCount: row.openAlertCount,
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
