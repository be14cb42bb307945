import { FleetView } from '@/components/fleet/FleetView';
import { getPrisma } from '@/lib/db/client';
import { listHosts } from '@/lib/hosts/list-hosts';
import { serverConfig } from '@/lib/http/request-context';

export default async function FleetPage() {
  const initial = await listHosts(await getPrisma(), { page: 1, pageSize: 50 });
  return <FleetView initial={initial} silentAfterIntervals={serverConfig().SOCKSCOPE_SILENT_AFTER_INTERVALS} />;
}
