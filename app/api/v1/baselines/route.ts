import { authorize } from '@/lib/auth/principal';
import { createExpectedListener, expectedListenerInputSchema, listExpectedListeners } from '@/lib/expectations/expected-listeners';
import { readJsonBody } from '@/lib/http/read-json-body';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => json({ baselines: await listExpectedListeners((await authorize(request, 'viewer')).prisma) }));

export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const input = expectedListenerInputSchema.parse(await readJsonBody(request));
  return json({ baseline: await createExpectedListener(prisma, principal, input) }, 201);
});
