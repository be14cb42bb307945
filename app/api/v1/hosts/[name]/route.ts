import { requireRole } from '@/lib/auth/principal';
import { getHostDetail } from '@/lib/hosts/get-host-detail';
import { getPrisma } from '@/lib/db/client';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'viewer');
  const { name } = await params;
  return json(await getHostDetail(prisma, name));
});
