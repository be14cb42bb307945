// Who changed what: every account, token and enrolment change is written to the audit log in the
// same transaction as the change itself, so the log never claims a change that did not happen.
import type { Prisma } from '@/lib/generated/prisma/client';
import type { Principal } from './principal';

export interface Actor {
  userId: number | null;
  name: string;
}

/** Changes made by the server itself (the built-in local collector enrolling its host). */
export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system' };
/** Changes made with `npm run admin` on the server's machine. */
export const ADMIN_CLI_ACTOR: Actor = { userId: null, name: 'admin-cli' };

export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, name: principal.name };
}

type AuditWriter = Pick<Prisma.TransactionClient, 'auditLog'>;

export async function recordAudit(tx: AuditWriter, actor: Actor, action: string, target: string, detail?: Prisma.InputJsonValue): Promise<void> {
  await tx.auditLog.create({ data: { actorId: actor.userId, actorName: actor.name, action, target, detail } });
}
