import { z } from 'zod';
import { requireRole } from '@/lib/auth/principal';
import { getPrisma } from '@/lib/db/client';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { deletePromiscuousRule } from '@/lib/expectations/promiscuous-rules';

export const DELETE = handle(async (request: Request, { params }: RouteParams<'id'>) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'analyst');
  await deletePromiscuousRule(prisma, principal, z.coerce.number().int().positive().max(2_147_483_647).parse((await params).id));
  return json({ deleted: true });
});
