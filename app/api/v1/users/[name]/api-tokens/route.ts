import { actorOf } from '@/lib/auth/audit';
import { requireRole } from '@/lib/auth/principal';
import { getPrisma, type RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { issueApiTokenFor, revokeApiTokens } from '@/lib/users/users';

/** Admins issue an API token to an account; the token is in this answer and nowhere else. */
export const POST = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'admin');
  const name = (await params).name;
  return json({ name, token: await issueApiTokenFor(prisma, actorOf(principal), name) }, 201);
});

/** Admins revoke every API token of an account. */
export const DELETE = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'admin');
  return json({ revoked: await revokeApiTokens(prisma, actorOf(principal), (await params).name) });
});
