// Analyst accounts, sessions and API tokens.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import type { Role } from '@/lib/generated/prisma/enums';
import { generatePassword, generateToken, hashPassword, hashToken, tokenDisplayPrefix, verifyPassword } from '@/lib/auth/secrets';

const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export async function createUser(prisma: PrismaClient, name: string, role: Role, password: string | null) {
  return prisma.user.create({ data: { name, role, passwordHash: password ? await hashPassword(password) : null } });
}

/** On a database with no users, creates `admin` with a random password to be printed once. */
export async function ensureFirstAdmin(prisma: PrismaClient, presetPassword?: string): Promise<{ name: string; password: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const password = presetPassword ?? generatePassword();
  await createUser(prisma, 'admin', 'admin', password);
  return { name: 'admin', password };
}

/** API token for a user; creates the user as an admin if it does not exist (the admin CLI contract). */
export async function issueApiToken(prisma: PrismaClient, userName: string, roleIfNew: Role = 'admin'): Promise<string> {
  const user = (await prisma.user.findUnique({ where: { name: userName } })) ?? (await createUser(prisma, userName, roleIfNew, null));
  const token = generateToken('api');
  await prisma.apiToken.create({ data: { userId: user.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } });
  return token;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Returns a session for valid credentials, null otherwise (same answer for unknown user and bad password). */
export async function signIn(prisma: PrismaClient, name: string, password: string): Promise<NewSession | null> {
  const user = await prisma.user.findUnique({ where: { name } });
  const passwordMatches = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !passwordMatches || user.disabledAt) return null;
  const token = generateToken('session');
  const csrfToken = generateToken('session').slice(4);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await prisma.session.create({ data: { id: hashToken(token), userId: user.id, csrfToken, expiresAt } });
  return { token, csrfToken, expiresAt };
}

export async function signOut(prisma: PrismaClient, sessionToken: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: hashToken(sessionToken) } });
}

export { tokenDisplayPrefix };
