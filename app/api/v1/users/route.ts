import { z } from 'zod';
import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import { readJsonBody } from '@/lib/http/read-json-body';
import { handle, json } from '@/lib/http/respond';
import { createUser, listUsers, passwordSchema, roleSchema, userNameSchema } from '@/lib/users/users';

export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'admin');
  return json({ users: await listUsers(prisma) });
});

const newUserSchema = z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema.optional() });

/** Admins create accounts: {name, role, password?} → 201; a generated password is in this answer only. */
export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const input = newUserSchema.parse(await readJsonBody(request));
  const account = await createUser(prisma, actorOf(principal), input);
  return json({ name: account.name, role: account.role, ...(account.generatedPassword ? { password: account.generatedPassword } : {}) }, 201);
});
