import { authorize } from '@/lib/auth/principal';
import { readJsonBody } from '@/lib/http/read-json-body';
import { handle, json } from '@/lib/http/respond';
import { createPromiscuousRule, listPromiscuousRules, promiscuousRuleInputSchema } from '@/lib/expectations/promiscuous-rules';

export const GET = handle(async (request: Request) => json({ rules: await listPromiscuousRules((await authorize(request, 'viewer')).prisma) }));

export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const input = promiscuousRuleInputSchema.parse(await readJsonBody(request));
  return json({ rule: await createPromiscuousRule(prisma, principal, input) }, 201);
});
