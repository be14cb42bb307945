import { FleetView, type FleetFilters } from '@/components/fleet/FleetView';
import { readPageData } from '@/lib/auth/page-session';
import { hostListQuerySchema, listHosts } from '@/lib/hosts/list-hosts';
import { getConfig } from '@/lib/config';
import { listHostLabels } from '@/lib/hosts/list-host-labels';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function FleetPage({ searchParams }: { searchParams: SearchParams }) {
  const { prisma } = await readPageData();
  const parsed = hostListQuerySchema.safeParse({ ...(await searchParams), page: 1, pageSize: 50 });
  const query = parsed.success ? parsed.data : hostListQuerySchema.parse({});
  const silentAfterIntervals = getConfig().SOCKSCOPE_SILENT_AFTER_INTERVALS;
  const [initial, labels] = await Promise.all([listHosts(prisma, query, { silentAfterIntervals }), listHostLabels(prisma)]);
  const filters: FleetFilters = {
    q: query.q ?? '',
    status: query.status ?? '',
    label: query.label ?? '',
    promiscuous: Boolean(query.promiscuous),
    alerts: Boolean(query.alerts),
  };
  return <FleetView initial={initial} initialFilters={filters} labels={labels} silentAfterIntervals={silentAfterIntervals} />;
}
