import { requireRole } from '@/lib/auth/principal';
import { createExpectedListener, expectedListenerInputSchema, listExpectedListeners } from '@/lib/expectations/expected-listeners';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/db/client';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'viewer');
  return json({ baselines: await listExpectedListeners(prisma) });
});

export const POST = handle(async (request: Request) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'analyst');
  const input = expectedListenerInputSchema.parse(await readJsonBody(request));
  return json({ baseline: await createExpectedListener(prisma, principal, input) }, 201);
});
