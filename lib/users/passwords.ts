// Passwords after an account exists: an analyst changes their own (the current password required),
// an admin or the machine's operator resets another's to a generated one. Both end the sessions
// that signed in with the old password, and both are audited in the same transaction.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { recordAudit, type Actor } from '@/lib/auth/audit';
import { endLiveConnections } from '@/lib/auth/live-connections';
import type { Principal } from '@/lib/auth/principal';
import { generatePassword, hashPassword, verifyPassword } from '@/lib/auth/secrets';
import { admitPasswordAttempt, recordPasswordFailure } from '@/lib/auth/sign-in-throttle';
import { AppError } from '@/lib/errors';
import { passwordSchema } from './users';

const PASSWORD_CHANGE_ACTION = 'user.password.change';
const PASSWORD_RESET_ACTION = 'user.password.reset';

export const passwordChangeSchema = z
  .strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: passwordSchema })
  .refine((change) => change.currentPassword !== change.newPassword, { path: ['newPassword'], message: 'must differ from the current password' });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;

/**
 * The signed-in analyst's new password. Every other session of the account ends (a thief who
 * signed in with the old password is out); the session that made the change stays. The current
 * password is checked under the sign-in limits, so a stolen session cannot guess it faster.
 */
export async function changeOwnPassword(
  prisma: PrismaClient,
  principal: Principal,
  change: PasswordChange,
  clientAddress: string,
): Promise<{ sessionsEnded: number }> {
  const user = await prisma.user.findUnique({ where: { id: principal.userId } });
  if (!user?.passwordHash) throw new AppError('conflict', 'This account signs in with no password; ask an admin to reset it.');
  admitPasswordAttempt(user.name, clientAddress);
  if (!(await verifyPassword(change.currentPassword, user.passwordHash))) {
    recordPasswordFailure(user.name, clientAddress);
    throw new AppError('forbidden', 'The current password is wrong.', [{ path: 'currentPassword', message: 'is wrong' }]);
  }
  const passwordHash = await hashPassword(change.newPassword);
  const endedSessionIds = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const ended = await endSessions(tx, user.id, principal.sessionId);
    await recordAudit(tx, { userId: user.id, name: user.name }, PASSWORD_CHANGE_ACTION, `user:${user.name}`, { sessionsEnded: ended.length });
    return ended;
  });
  for (const sessionId of endedSessionIds) endLiveConnections({ sessionId });
  return { sessionsEnded: endedSessionIds.length };
}

/**
 * A generated password for another account, shown once to whoever reset it; every session of the
 * account ends. Admins reset others only: their own needs the current password (a stolen session
 * must not be able to take the account over for good). The operator's CLI may reset anyone.
 */
export async function resetPassword(prisma: PrismaClient, actor: Actor, userName: string): Promise<{ password: string; sessionsEnded: number }> {
  const user = await prisma.user.findUnique({ where: { name: userName } });
  if (!user) throw new AppError('not_found', `No user named ${userName}.`);
  if (actor.userId !== null && actor.userId === user.id) {
    throw new AppError('conflict', 'Change your own password with your current one (Account → Change password).');
  }
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const endedSessionIds = await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const ended = await endSessions(tx, user.id, null);
    await recordAudit(tx, actor, PASSWORD_RESET_ACTION, `user:${user.name}`, { sessionsEnded: ended.length });
    return ended;
  });
  for (const sessionId of endedSessionIds) endLiveConnections({ sessionId });
  return { password, sessionsEnded: endedSessionIds.length };
}

/** Deletes the account's sessions but `keep`; returns the ended ones' ids (to cut their live connections). */
async function endSessions(tx: Prisma.TransactionClient, userId: number, keep: string | null): Promise<string[]> {
  const where: Prisma.SessionWhereInput = { userId, ...(keep ? { id: { not: keep } } : {}) };
  const sessions = await tx.session.findMany({ where, select: { id: true } });
  await tx.session.deleteMany({ where: { id: { in: sessions.map((session) => session.id) } } });
  return sessions.map((session) => session.id);
}

/**
 * Whether the account still signs in with a password it did not choose (the first admin's, printed
 * to the server log; a generated one at creation; a reset). Read from the audit log, so it needs no
 * column of its own: the newest password-setting entry decides.
 */
export async function isPasswordGenerated(prisma: PrismaClient, userName: string): Promise<boolean> {
  const latest = await prisma.auditLog.findFirst({
    where: { target: `user:${userName}`, action: { in: ['user.create', PASSWORD_CHANGE_ACTION, PASSWORD_RESET_ACTION] } },
    orderBy: { id: 'desc' },
    select: { action: true, actorName: true, detail: true },
  });
  if (!latest || latest.action === PASSWORD_CHANGE_ACTION) return false;
  if (latest.action === PASSWORD_RESET_ACTION) return true;
  const detail = latest.detail as { passwordGenerated?: unknown } | null;
  // Accounts created before the entry said so: only the first-run admin (created by the server itself) had a generated password printed.
  return typeof detail?.passwordGenerated === 'boolean' ? detail.passwordGenerated : latest.actorName === 'system';
}
