import { z } from 'zod';
import { actorOf } from '@/lib/auth/audit';
import { requireRole } from '@/lib/auth/principal';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/db/client';
import { handle, json } from '@/lib/http/respond';
import { createUser, listUsers, passwordSchema, roleSchema, userNameSchema } from '@/lib/users/users';

export const GET = handle(async (request: Request) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'admin');
  return json({ users: await listUsers(prisma) });
});

const newUserSchema = z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema.optional() });

/** Admins create accounts: {name, role, password?} → 201; a generated password is in this answer only. */
export const POST = handle(async (request: Request) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'admin');
  const input = newUserSchema.parse(await readJsonBody(request));
  const account = await createUser(prisma, actorOf(principal), input);
  return json({ name: account.name, role: account.role, ...(account.generatedPassword ? { password: account.generatedPassword } : {}) }, 201);
});
