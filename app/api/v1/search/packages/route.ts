import { authorize } from '@/lib/auth/principal';
import { handle, json } from '@/lib/http/respond';
import { findPackages, packageSearchSchema } from '@/lib/search/find-packages';

/** Which hosts have ?name= (exact, or &match=contains) [&version=] now; or what &appearedWithinMinutes= brought; paged. */
export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const search = packageSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await findPackages(prisma, search));
});
