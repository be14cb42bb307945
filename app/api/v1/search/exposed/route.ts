import { authorize } from '@/lib/auth/principal';
import { handle, json } from '@/lib/http/respond';
import { exposureSearchSchema, listNewlyExposed } from '@/lib/search/list-newly-exposed';

/** Listeners opened or widened in the last ?sinceMinutes= (default 60), newest first, paged. */
export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const search = exposureSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await listNewlyExposed(prisma, search));
});
