// Collector credentials: one or more tokens per host, stored hashed, shown once, revocable.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { generateToken, hashToken, tokenDisplayPrefix } from '@/lib/auth/secrets';
import { AppError } from '@/lib/http/errors';
import { hostName } from '@/lib/schemas/snapshot';

export interface EnrolledHost {
  hostId: number;
  name: string;
  token: string;
}

/** Creates the host if needed and issues it a new token (existing tokens stay valid). */
export async function enrollHost(prisma: PrismaClient, name: string, labels: string[] = []): Promise<EnrolledHost> {
  const parsedName = hostName.safeParse(name);
  if (!parsedName.success) throw new AppError('bad_request', `Host name ${parsedName.error.issues[0]?.message ?? 'is invalid'}.`, [{ path: 'name', message: 'invalid host name' }]);
  const token = generateToken('host');
  const host = await prisma.host.upsert({
    where: { name: parsedName.data },
    create: { name: parsedName.data, labels },
    update: {},
  });
  await prisma.hostToken.create({ data: { hostId: host.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } });
  return { hostId: host.id, name: host.name, token };
}

/** Revokes every live token of the host and issues a fresh one. */
export async function rotateHostToken(prisma: PrismaClient, name: string): Promise<EnrolledHost> {
  const host = await prisma.host.findUnique({ where: { name } });
  if (!host) throw new AppError('not_found', `No host named ${name}.`);
  const token = generateToken('host');
  await prisma.$transaction([
    prisma.hostToken.updateMany({ where: { hostId: host.id, revokedAt: null }, data: { revokedAt: new Date() } }),
    prisma.hostToken.create({ data: { hostId: host.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } }),
  ]);
  return { hostId: host.id, name: host.name, token };
}

export async function revokeHostTokens(prisma: PrismaClient, name: string): Promise<number> {
  const host = await prisma.host.findUnique({ where: { name } });
  if (!host) throw new AppError('not_found', `No host named ${name}.`);
  const result = await prisma.hostToken.updateMany({ where: { hostId: host.id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count;
}

export interface AuthenticatedHost {
  id: number;
  name: string;
  labels: string[];
}

export async function findHostByToken(prisma: PrismaClient, token: string): Promise<AuthenticatedHost | null> {
  const record = await prisma.hostToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { host: { select: { id: true, name: true, labels: true } } },
  });
  if (!record || record.revokedAt) return null;
  return record.host;
}
