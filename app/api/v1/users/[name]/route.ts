import { z } from 'zod';
import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import { readJsonBody } from '@/lib/http/read-json-body';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { roleSchema, updateAccount } from '@/lib/users/users';

const changeSchema = z
  .strictObject({ disabled: z.boolean().optional(), role: roleSchema.optional() })
  .refine((change) => change.disabled !== undefined || change.role !== undefined, 'name disabled or role');

/** Admins disable, re-enable or change the role of an account: {disabled?, role?}. */
export const PATCH = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const change = changeSchema.parse(await readJsonBody(request));
  return json({ user: await updateAccount(prisma, actorOf(principal), (await params).name, change) });
});
