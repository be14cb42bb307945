import { authorize } from '@/lib/auth/principal';
import { createExpectedPackage, expectedPackageInputSchema, listExpectedPackages } from '@/lib/expectations/expected-packages';
import { readJsonBody } from '@/lib/http/read-json-body';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => json({ expectedPackages: await listExpectedPackages((await authorize(request, 'viewer')).prisma) }));

export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const input = expectedPackageInputSchema.parse(await readJsonBody(request));
  return json({ expectedPackage: await createExpectedPackage(prisma, principal, input) }, 201);
});
