// Admin commands, run either by the CLI on the database directly or by the running server on the
// CLI's behalf (the embedded database belongs to one process at a time).
import { z } from 'zod';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { ADMIN_CLI_ACTOR } from '@/lib/auth/audit';
import { enrollHost, revokeHostTokens, rotateHostToken } from '@/lib/hosts/host-tokens';
import { resetPassword } from '@/lib/users/passwords';
import { createUser, issueApiToken, passwordSchema, roleSchema, userNameSchema as userName } from '@/lib/users/users';

const adminCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('enroll'), host: z.string(), labels: z.array(z.string().min(1).max(64)).max(32).default([]) }),
  z.strictObject({ command: z.literal('rotate-token'), host: z.string() }),
  z.strictObject({ command: z.literal('revoke-token'), host: z.string() }),
  z.strictObject({ command: z.literal('api-token'), user: userName, role: roleSchema.default('admin') }),
  z.strictObject({ command: z.literal('create-user'), user: userName, role: roleSchema, password: passwordSchema.optional() }),
  z.strictObject({ command: z.literal('reset-password'), user: userName }),
]);

export type AdminCommand = z.input<typeof adminCommandSchema>;

/** Runs one command and returns the single line the CLI prints. */
export async function runAdminCommand(prisma: PrismaClient, input: AdminCommand): Promise<string> {
  const command = adminCommandSchema.parse(input);
  switch (command.command) {
    case 'enroll':
      return (await enrollHost(prisma, command.host, command.labels, ADMIN_CLI_ACTOR)).token;
    case 'rotate-token':
      return (await rotateHostToken(prisma, command.host, ADMIN_CLI_ACTOR)).token;
    case 'revoke-token':
      return `revoked ${await revokeHostTokens(prisma, command.host, ADMIN_CLI_ACTOR)} token(s) of ${command.host}`;
    case 'api-token':
      return issueApiToken(prisma, command.user, command.role, ADMIN_CLI_ACTOR);
    case 'create-user': {
      const account = await createUser(prisma, ADMIN_CLI_ACTOR, { name: command.user, role: command.role, password: command.password });
      return account.generatedPassword ?? command.password ?? '';
    }
    case 'reset-password':
      return (await resetPassword(prisma, ADMIN_CLI_ACTOR, command.user)).password;
  }
}
