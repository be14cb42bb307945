// Collector credentials: one or more tokens per host, stored hashed, shown once, revocable. Each
// enrolment, rotation and revocation is audited in the same transaction (the prefix only, never
// the token).
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '@/lib/auth/audit';
import { generateToken, hashToken, tokenDisplayPrefix } from '@/lib/auth/secrets';
import { serverSqlClient } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hostName } from '@/lib/schemas/snapshot';

export interface EnrolledHost {
  hostId: number;
  name: string;
  token: string;
}

/** Creates the host if needed and issues it a new token (existing tokens stay valid). */
export async function enrollHost(prisma: PrismaClient, name: string, labels: string[] = [], actor: Actor = SYSTEM_ACTOR): Promise<EnrolledHost> {
  const parsedName = hostName.safeParse(name);
  if (!parsedName.success)
    throw new AppError('bad_request', `Host name ${parsedName.error.issues[0]?.message ?? 'is invalid'}.`, [{ path: 'name', message: 'invalid host name' }]);
  const token = generateToken('host');
  const host = await prisma.$transaction(async (tx) => {
    const upserted = await tx.host.upsert({
      where: { name: parsedName.data },
      create: { name: parsedName.data, labels },
      update: {},
    });
    await tx.hostToken.create({ data: { hostId: upserted.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } });
    await recordAudit(tx, actor, 'host.enroll', `host:${upserted.name}`, { prefix: tokenDisplayPrefix(token), labels });
    return upserted;
  });
  return { hostId: host.id, name: host.name, token };
}

/** Revokes every live token of the host and issues a fresh one. */
export async function rotateHostToken(prisma: PrismaClient, name: string, actor: Actor = SYSTEM_ACTOR): Promise<EnrolledHost> {
  const token = generateToken('host');
  const host = await prisma.$transaction(async (tx) => {
    const found = await tx.host.findUnique({ where: { name } });
    if (!found) throw new AppError('not_found', `No host named ${name}.`);
    const revoked = await tx.hostToken.updateMany({ where: { hostId: found.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.hostToken.create({ data: { hostId: found.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } });
    await recordAudit(tx, actor, 'host.token.rotate', `host:${found.name}`, { prefix: tokenDisplayPrefix(token), revoked: revoked.count });
    return found;
  });
  return { hostId: host.id, name: host.name, token };
}

export async function revokeHostTokens(prisma: PrismaClient, name: string, actor: Actor = SYSTEM_ACTOR): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { name } });
    if (!host) throw new AppError('not_found', `No host named ${name}.`);
    const result = await tx.hostToken.updateMany({ where: { hostId: host.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, 'host.token.revoke', `host:${host.name}`, { revoked: result.count });
    return result.count;
  });
}

export interface HostTokenView {
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What an admin may see of a host's tokens: the first characters, never the token or its hash. */
export async function listHostTokens(prisma: PrismaClient, name: string): Promise<HostTokenView[]> {
  const host = await prisma.host.findUnique({ where: { name }, select: { tokens: { orderBy: { id: 'asc' } } } });
  if (!host) throw new AppError('not_found', `No host named ${name}.`);
  return host.tokens.map((token) => ({ prefix: token.prefix, createdAt: token.createdAt.toISOString(), revokedAt: token.revokedAt?.toISOString() ?? null }));
}

export interface AuthenticatedHost {
  id: number;
  name: string;
  labels: string[];
}

export async function findHostByToken(prisma: PrismaClient, token: string): Promise<AuthenticatedHost | null> {
  // Every snapshot starts here: one indexed join, on the driver when it is the server's own.
  const text = `SELECT h."id", h."name", h."labels"
                  FROM "HostToken" t JOIN "Host" h ON h."id" = t."hostId"
                 WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL`;
  const tokenHash = hashToken(token);
  const sql = await serverSqlClient(prisma);
  const [host] = sql ? await sql.query<AuthenticatedHost>(text, [tokenHash]) : await prisma.$queryRawUnsafe<AuthenticatedHost[]>(text, tokenHash);
  return host ?? null;
}
