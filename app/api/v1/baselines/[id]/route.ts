import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import { deleteExpectedListener } from '@/lib/expectations/expected-listeners';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

export const DELETE = handle(async (request: Request, { params }: RouteParams<'id'>) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  await deleteExpectedListener(
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
