import { authorize } from '@/lib/auth/principal';
import { handle, json } from '@/lib/http/respond';
import { findListenersOnPort, listenerSearchSchema } from '@/lib/search/find-listeners-on-port';

/** Which hosts listen on ?port= (latest snapshot of each host), paged. */
export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const search = listenerSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await findListenersOnPort(prisma, search));
});
