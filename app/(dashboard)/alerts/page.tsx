import type { Metadata } from 'next';
import { AlertsView, type AlertFilters } from '@/components/alerts/AlertsView';
import { alertListQuerySchema, listAlerts } from '@/lib/alerts/list-alerts';
import { readPageData } from '@/lib/auth/page-session';

export const metadata: Metadata = { title: 'Alerts' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AlertsPage({ searchParams }: { searchParams: SearchParams }) {
  const { prisma } = await readPageData();
  const parsed = alertListQuerySchema.safeParse({ ...(await searchParams), limit: 100, before: undefined });
  const query = parsed.success ? parsed.data : alertListQuerySchema.parse({ limit: 100 });
  const filters: AlertFilters = {
    state: query.state ?? '',
    minLevel: (['5', '8', '10', '12'] as const).find((level) => Number(level) === query.minLevel) ?? '',
    kind: query.kind ?? '',
    host: query.host ?? '',
  };
  const initial = await listAlerts(prisma, { ...query, minLevel: filters.minLevel ? Number(filters.minLevel) : undefined });
  return <AlertsView initial={initial} initialFilters={filters} />;
}
