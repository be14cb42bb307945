import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { issueOwnApiToken, revokeApiTokens } from '@/lib/users/users';

/** Admins mint an API token for their own account (403 for anyone else's); the token is in this answer and nowhere else. */
export const POST = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const name = (await params).name;
  return json({ name, token: await issueOwnApiToken(prisma, actorOf(principal), name) }, 201);
});

/** Admins revoke every API token of any account (a leaked token must be stoppable by any admin). */
export const DELETE = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  return json({ revoked: await revokeApiTokens(prisma, actorOf(principal), (await params).name) });
});
