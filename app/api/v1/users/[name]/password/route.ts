import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { resetPassword } from '@/lib/users/passwords';

/** Admins reset another account's password: a generated one, in this answer only; its sessions end. */
export const POST = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const name = (await params).name;
  const reset = await resetPassword(prisma, actorOf(principal), name);
  return json({ name, password: reset.password, sessionsEnded: reset.sessionsEnded });
});
