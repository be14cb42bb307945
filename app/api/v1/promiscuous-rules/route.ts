import { requireRole } from '@/lib/auth/principal';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/db/client';
import { handle, json } from '@/lib/http/respond';
import { createPromiscuousRule, listPromiscuousRules, promiscuousRuleInputSchema } from '@/lib/expectations/promiscuous-rules';

export const GET = handle(async (request: Request) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'viewer');
  return json({ rules: await listPromiscuousRules(prisma) });
});

export const POST = handle(async (request: Request) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'analyst');
  const input = promiscuousRuleInputSchema.parse(await readJsonBody(request));
  return json({ rule: await createPromiscuousRule(prisma, principal, input) }, 201);
});
