import { authorize } from '@/lib/auth/principal';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { getLatencySeries, latencyQuerySchema } from '@/lib/latency/latency-series';

/** Per run and per hop RTT stats for one traceroute target: ?target=&since= (ISO time or 90m / 24h / 7d). */
export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name } = await params;
  const query = latencyQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await getLatencySeries(prisma, name, query));
});
