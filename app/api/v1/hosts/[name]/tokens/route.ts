import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import { listHostTokens, revokeHostTokens, rotateHostToken } from '@/lib/hosts/host-tokens';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

/** Admins list a host's tokens by prefix (never the token). */
export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'admin');
  return json({ tokens: await listHostTokens(prisma, (await params).name) });
});

/** Rotate: every live token of the host is revoked and a new one issued, shown in this answer only. */
export const POST = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const rotated = await rotateHostToken(prisma, (await params).name, actorOf(principal));
  return json({ name: rotated.name, token: rotated.token }, 201);
});

/** Revoke every token of the host: its collector gets 401 until it is given a new one. */
export const DELETE = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  return json({ revoked: await revokeHostTokens(prisma, (await params).name, actorOf(principal)) });
});
