import { authorize } from '@/lib/auth/principal';
import { databaseId } from '@/lib/http/query-fields';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { getHostSnapshot } from '@/lib/snapshots/get-host-snapshot';

/** One stored snapshot, every collected section (snapshot JSON fields, plus id and timeline fields). */
export const GET = handle(async (request: Request, { params }: RouteParams<'name' | 'id'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name, id } = await params;
  return json(await getHostSnapshot(prisma, name, databaseId.parse(id)));
});
