import { requireRole } from '@/lib/auth/principal';
import { baselineInputSchema, createBaseline, listBaselines } from '@/lib/baselines/baselines';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'viewer');
  return json({ baselines: await listBaselines(prisma) });
});

export const POST = handle(async (request: Request) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'analyst');
  const input = baselineInputSchema.parse(await readJsonBody(request));
  return json({ baseline: await createBaseline(prisma, principal, input) }, 201);
});
