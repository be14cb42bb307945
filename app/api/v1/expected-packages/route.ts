import { requireRole } from '@/lib/auth/principal';
import { createExpectedPackage, expectedPackageInputSchema, listExpectedPackages } from '@/lib/expectations/expected-packages';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getPrisma } from '@/lib/db/client';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => {
  const prisma = await getPrisma();
  await requireRole(prisma, request, 'viewer');
  return json({ expectedPackages: await listExpectedPackages(prisma) });
});

export const POST = handle(async (request: Request) => {
  const prisma = await getPrisma();
  const principal = await requireRole(prisma, request, 'analyst');
  const input = expectedPackageInputSchema.parse(await readJsonBody(request));
  return json({ expectedPackage: await createExpectedPackage(prisma, principal, input) }, 201);
});
