import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { deletePromiscuousRule } from '@/lib/expectations/promiscuous-rules';

export const DELETE = handle(async (request: Request, { params }: RouteParams<'id'>) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  await deletePromiscuousRule(
    prisma,
    principal,
    z.coerce
      .number()
      .int()
      .positive()
      .max(2_147_483_647)
      .parse((await params).id),
  );
  return json({ deleted: true });
});
