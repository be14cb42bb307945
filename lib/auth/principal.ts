// Who is asking: an analyst by session cookie or API token. Roles nest: admin ⊃ analyst ⊃ viewer.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import type { Role } from '@/lib/generated/prisma/enums';
import { getPrisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashToken, secretsMatch } from './secrets';

export const SESSION_COOKIE = 'sockscope_session';
const roleRank: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

export interface Principal {
  userId: number;
  name: string;
  role: Role;
  /** Set for browser sessions: state-changing requests must echo it (CSRF). */
  csrfToken: string | null;
  /** The stored (hashed) id of the browser session; null for API tokens. */
  sessionId: string | null;
  via: 'session' | 'api-token';
}

export function hasRole(principal: Principal, needed: Role): boolean {
  return roleRank[principal.role] >= roleRank[needed];
}

export function readCookie(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeCookieValue(part.slice(index + 1).trim());
  }
  return null;
}

/** A cookie value that is not valid percent-encoding is no credential (and no reason for a 500). */
function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function readBearer(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

export async function principalFromSession(prisma: PrismaClient, sessionToken: string | null): Promise<Principal | null> {
  if (!sessionToken) return null;
  const session = await prisma.session.findUnique({ where: { id: hashToken(sessionToken) }, include: { user: true } });
  if (!session || session.expiresAt < new Date() || session.user.disabledAt) return null;
  return { userId: session.user.id, name: session.user.name, role: session.user.role, csrfToken: session.csrfToken, sessionId: session.id, via: 'session' };
}

async function principalFromApiToken(prisma: PrismaClient, token: string | null): Promise<Principal | null> {
  if (!token?.startsWith('ssa_')) return null;
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!record || record.revokedAt || record.user.disabledAt) return null;
  return { userId: record.user.id, name: record.user.name, role: record.user.role, csrfToken: null, sessionId: null, via: 'api-token' };
}

/** Reads the principal from a request's cookie or Authorization header. */
export async function principalFromHeaders(
  prisma: PrismaClient,
  headers: { cookie?: string | null; authorization?: string | null },
): Promise<Principal | null> {
  const bearer = readBearer(headers.authorization);
  if (bearer) return principalFromApiToken(prisma, bearer);
  return principalFromSession(prisma, readCookie(headers.cookie, SESSION_COOKIE));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Checks the request's principal and role; for cookie sessions, a state-changing request must
 * carry the session's CSRF token in `x-csrf-token` (API tokens are not sent by browsers on their own).
 */
async function requireRole(prisma: PrismaClient, request: Request, needed: Role): Promise<Principal> {
  const principal = await principalFromHeaders(prisma, {
    cookie: request.headers.get('cookie'),
    authorization: request.headers.get('authorization'),
  });
  if (!principal) throw new AppError('unauthorized', 'Sign in or send an analyst API token.');
  if (!hasRole(principal, needed)) throw new AppError('forbidden', `This needs the ${needed} role.`);
  if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
    if (!secretsMatch(request.headers.get('x-csrf-token') ?? '', principal.csrfToken ?? '')) throw new AppError('forbidden', 'Missing or wrong CSRF token.');
  }
  return principal;
}

/** The first lines of every protected route: the database, and the caller, who must hold at least `needed` (401, 403). */
export async function authorize(request: Request, needed: Role): Promise<{ prisma: PrismaClient; principal: Principal }> {
  const prisma = await getPrisma();
  return { prisma, principal: await requireRole(prisma, request, needed) };
}
