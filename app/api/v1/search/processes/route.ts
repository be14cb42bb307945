import { authorize } from '@/lib/auth/principal';
import { handle, json } from '@/lib/http/respond';
import { findProcessesByCommand, processSearchSchema } from '@/lib/search/find-processes-by-command';

/** Which hosts run ?command= (exact, or &match=contains), latest snapshot of each host, paged. */
export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const search = processSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await findProcessesByCommand(prisma, search));
});
