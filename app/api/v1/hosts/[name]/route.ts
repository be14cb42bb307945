import { authorize } from '@/lib/auth/principal';
import { getHostDetail } from '@/lib/hosts/get-host-detail';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name } = await params;
  return json(await getHostDetail(prisma, name));
});
