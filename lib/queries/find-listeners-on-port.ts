// "Which hosts listen on port X?" — asked of each host's current rows (the `_open` partition),
// through its partial index on listening ports.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { port } from '@/lib/schemas/snapshot';
import { offsetOf, pagingSchema, type ResultPage } from './paging';

export const listenerSearchSchema = pagingSchema.extend({ port: z.coerce.number().pipe(port) });
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
}

interface ListenerRow {
  host: string;
  hostLastSeenAt: Date | null;
  proto: string;
  localAddress: string;
  localPort: number;
  pid: number | null;
  process: string | null;
  user: string | null;
}

export async function findListenersOnPort(prisma: PrismaClient, search: ListenerSearch): Promise<ResultPage<ListenerMatch>> {
  const [rows, counts] = await Promise.all([
    prisma.$queryRaw<ListenerRow[]>`
      SELECT h."name" AS "host", h."lastSeenAt" AS "hostLastSeenAt", k."proto", k."localAddress", k."localPort",
             k."pid", k."process", k."user"
      FROM "Host" h
      JOIN "Socket" k ON k."hostId" = h."id" AND k."retainUntil" = 'infinity'::date
      WHERE k."localPort" = ${search.port} AND k."listening" = true
      ORDER BY h."name", k."proto", k."localAddress", k."pid" NULLS LAST, k."id"
      LIMIT ${search.pageSize} OFFSET ${offsetOf(search)}`,
    prisma.$queryRaw<{ total: number; hostCount: number }[]>`
      SELECT count(*)::int AS "total", count(DISTINCT h."id")::int AS "hostCount"
      FROM "Host" h
      JOIN "Socket" k ON k."hostId" = h."id" AND k."retainUntil" = 'infinity'::date
      WHERE k."localPort" = ${search.port} AND k."listening" = true`,
  ]);
  return {
    rows: rows.map((row) => ({ ...row, hostLastSeenAt: row.hostLastSeenAt?.toISOString() ?? null })),
    total: counts[0]?.total ?? 0,
    hostCount: counts[0]?.hostCount ?? 0,
    page: search.page,
    pageSize: search.pageSize,
  };
}
