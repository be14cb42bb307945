import { getPrisma } from '@/lib/db/client';
import { handle } from '@/lib/http/respond';
import { metricsContentType, renderMetrics } from '@/lib/metrics';

/** Prometheus text: aggregate numbers only, no host names or addresses. */
export const GET = handle(async () => {
  const prisma = await getPrisma();
  const [hosts, byLevel, promiscuous] = await Promise.all([
    prisma.host.count(),
    prisma.alert.groupBy({ by: ['level'], where: { state: 'open' }, _count: { _all: true }, orderBy: { level: 'asc' } }),
    prisma.host.aggregate({ _sum: { promiscuousCount: true } }),
  ]);
  const body = await renderMetrics({
    hosts,
    openAlertsByLevel: byLevel.map((row) => ({ level: row.level, count: row._count._all })),
    promiscuousInterfaces: promiscuous._sum.promiscuousCount ?? 0,
  });
  return new Response(body, { headers: { 'content-type': metricsContentType, 'cache-control': 'no-store' } });
});
