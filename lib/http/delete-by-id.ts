// DELETE of one row of an analysts' list (expected listeners, expected packages, promiscuous rules):
// the id refused at the boundary when it cannot be a row's, the caller checked where the row goes.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { authorize, type Principal } from '@/lib/auth/principal';
import { smallDatabaseId } from '@/lib/http/query-fields';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

export function deleteByIdRoute(remove: (prisma: PrismaClient, principal: Principal, id: number) => Promise<void>) {
  return handle(async (request: Request, { params }: RouteParams<'id'>) => {
    const { prisma, principal } = await authorize(request, 'analyst');
    await remove(prisma, principal, smallDatabaseId.parse((await params).id));
    return json({ deleted: true });
  });
}
