import { authorize } from '@/lib/auth/principal';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { listSnapshots, snapshotListQuerySchema } from '@/lib/snapshots/list-snapshots';

export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name } = await params;
  const query = snapshotListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json({ snapshots: await listSnapshots(prisma, name, query) });
});
