// Analyst accounts, sessions and API tokens. Every change an admin makes is audited in the same
// transaction; disabling an account ends its sessions and live connections at once.
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import type { Role } from '@/lib/generated/prisma/enums';
import { ADMIN_CLI_ACTOR, SYSTEM_ACTOR, recordAudit, type Actor } from '@/lib/auth/audit';
import { endLiveConnections } from '@/lib/auth/live-connections';
import { generatePassword, generateToken, hashPassword, hashToken, tokenDisplayPrefix, verifyPassword } from '@/lib/auth/secrets';
import { AppError } from '@/lib/errors';

const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export const roleSchema = z.enum(['admin', 'analyst', 'viewer']);
export const userNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'must be letters, digits, dot, dash, underscore or @');
/** Long enough that guessing through the sign-in rate limit is hopeless. */
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(1024);

export interface NewAccount {
  name: string;
  role: Role;
  /** Only when the server generated it: shown in this answer and nowhere else. */
  generatedPassword: string | null;
}

/**
 * Creates an account and audits it (an admin in the dashboard, the admin CLI's create-user, the
 * first-run admin). Without a password one is generated and returned once; the audit entry says so,
 * and such an account is asked to change it (lib/users/passwords.ts).
 */
export async function createUser(prisma: PrismaClient, actor: Actor, input: { name: string; role: Role; password?: string | undefined }): Promise<NewAccount> {
  const name = userNameSchema.parse(input.name);
  const password = input.password ?? generatePassword();
  const generatedPassword = input.password === undefined ? password : null;
  const passwordHash = await hashPassword(password);
  try {
    await prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { name, role: input.role, passwordHash } });
      await recordAudit(tx, actor, 'user.create', `user:${name}`, { role: input.role, passwordGenerated: generatedPassword !== null });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `A user named ${name} exists already.`, [{ path: 'name', message: 'is taken' }]);
    throw error;
  }
  return { name, role: input.role, generatedPassword };
}

/** On a database with no users, creates `admin` with a random password (or the preset one) to be printed once. */
export async function ensureFirstAdmin(prisma: PrismaClient, presetPassword?: string): Promise<{ name: string; password: string } | null> {
  if ((await prisma.user.count()) > 0) return null;
  const account = await createUser(prisma, SYSTEM_ACTOR, { name: 'admin', role: 'admin', password: presetPassword });
  return { name: account.name, password: presetPassword ?? account.generatedPassword ?? '' };
}

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } } | null;
  return candidate?.code === 'P2002' || candidate?.cause?.code === '23505';
}

export interface UserView {
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  hasPassword: boolean;
  liveApiTokens: number;
}

export async function listUsers(prisma: PrismaClient): Promise<UserView[]> {
  const users = await prisma.user.findMany({
    orderBy: { name: 'asc' },
    select: {
      name: true,
      role: true,
      createdAt: true,
      disabledAt: true,
      passwordHash: true,
      _count: { select: { apiTokens: { where: { revokedAt: null } } } },
    },
  });
  return users.map((user) => ({
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    disabledAt: user.disabledAt?.toISOString() ?? null,
    hasPassword: user.passwordHash !== null,
    liveApiTokens: user._count.apiTokens,
  }));
}

export interface AccountChange {
  disabled?: boolean | undefined;
  role?: Role | undefined;
}

/**
 * Disables, re-enables or changes the role of an account. Disabling ends its sessions, revokes
 * its API tokens and cuts its live connections. An admin cannot lock themselves out, and the last
 * enabled admin stays an enabled admin.
 */
export async function updateAccount(prisma: PrismaClient, actor: Actor, name: string, change: AccountChange): Promise<UserView> {
  const userId = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { name } });
    if (!user) throw new AppError('not_found', `No user named ${name}.`);
    const losesAdmin = user.role === 'admin' && !user.disabledAt && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'));
    if (losesAdmin && user.id === actor.userId) throw new AppError('conflict', 'You cannot disable or demote your own account; ask another admin.');
    if (losesAdmin) {
      const otherAdmins = await tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: user.id } } });
      if (otherAdmins === 0) throw new AppError('conflict', `${name} is the last enabled admin.`);
    }
    if (change.disabled === true && !user.disabledAt) {
      // A disabled account may be a stolen one: its sessions and API tokens do not come back with it.
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      const sessions = await tx.session.deleteMany({ where: { userId: user.id } });
      const tokens = await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
      await recordAudit(tx, actor, 'user.disable', `user:${name}`, { sessionsEnded: sessions.count, apiTokensRevoked: tokens.count });
    }
    if (change.disabled === false && user.disabledAt) {
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
      await recordAudit(tx, actor, 'user.enable', `user:${name}`);
    }
    if (change.role !== undefined && change.role !== user.role) {
      await tx.user.update({ where: { id: user.id }, data: { role: change.role } });
      await recordAudit(tx, actor, 'user.role', `user:${name}`, { from: user.role, to: change.role });
    }
    return user.id;
  });
  if (change.disabled === true) endLiveConnections({ userId });
  const [view] = (await listUsers(prisma)).filter((user) => user.name === name);
  if (!view) throw new AppError('not_found', `No user named ${name}.`);
  return view;
}

/** API token for a user; creates the user as an admin if it does not exist (the admin CLI contract). */
export async function issueApiToken(prisma: PrismaClient, userName: string, roleIfNew: Role = 'admin', actor: Actor = ADMIN_CLI_ACTOR): Promise<string> {
  const token = generateToken('api');
  await prisma.$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { name: userName } });
    if (!user) {
      user = await tx.user.create({ data: { name: userName, role: roleIfNew, passwordHash: null } });
      await recordAudit(tx, actor, 'user.create', `user:${userName}`, { role: roleIfNew, passwordGenerated: false });
    }
    await tx.apiToken.create({ data: { userId: user.id, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token) } });
    await recordAudit(tx, actor, 'api-token.issue', `user:${userName}`, { prefix: tokenDisplayPrefix(token) });
  });
  return token;
}

/**
 * An admin mints an API token for their own account: shown in this answer only. Never for another
 * account — its minter could act as that account and be audited under its name. Service accounts
 * get theirs from the machine's operator (`npm run admin -- api-token NAME`, audited as admin-cli).
 */
export async function issueOwnApiToken(prisma: PrismaClient, actor: Actor, userName: string): Promise<string> {
  if (userName !== actor.name) {
    throw new AppError('forbidden', 'An API token is minted by its owner only: sign in as that account, or run npm run admin -- api-token NAME on the server.');
  }
  if (!(await prisma.user.findUnique({ where: { name: userName }, select: { id: true } }))) throw new AppError('not_found', `No user named ${userName}.`);
  return issueApiToken(prisma, userName, 'viewer', actor);
}

/** Revokes every API token of the account and cuts the live connections opened with them. */
export async function revokeApiTokens(prisma: PrismaClient, actor: Actor, userName: string): Promise<number> {
  const { userId, count } = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { name: userName }, select: { id: true } });
    if (!user) throw new AppError('not_found', `No user named ${userName}.`);
    const revoked = await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, 'api-token.revoke', `user:${userName}`, { count: revoked.count });
    return { userId: user.id, count: revoked.count };
  });
  endLiveConnections({ apiTokensOf: userId });
  return count;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  role: Role;
}

// Unknown names are checked against this hash too, so the answer takes as long as for a real
// account and timing does not tell which names exist.
let unknownUserHash: Promise<string> | null = null;

/** Returns a session for valid credentials, null otherwise (same answer for unknown user and bad password). */
export async function signIn(prisma: PrismaClient, name: string, password: string): Promise<NewSession | null> {
  await purgeExpiredSessions(prisma);
  const user = await prisma.user.findUnique({ where: { name } });
  unknownUserHash ??= hashPassword(generatePassword());
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await unknownUserHash));
  if (!user?.passwordHash || !passwordMatches || user.disabledAt) return null;
  const token = generateToken('session');
  const csrfToken = generateToken('session').slice(4);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await prisma.session.create({ data: { id: hashToken(token), userId: user.id, csrfToken, expiresAt } });
  return { token, csrfToken, expiresAt, role: user.role };
}

/** Ends the session on the server; returns its stored id (to cut its live connections), if any. */
export async function signOut(prisma: PrismaClient, sessionToken: string): Promise<string> {
  const sessionId = hashToken(sessionToken);
  await prisma.session.deleteMany({ where: { id: sessionId } });
  return sessionId;
}

/** Expired sessions are refused anyway; this keeps their rows from piling up. */
export async function purgeExpiredSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
