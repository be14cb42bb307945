import { getPrisma } from '@/lib/db/client';
import { handle, json } from '@/lib/http/respond';

/** Liveness and database reachability, for load balancers: 200 or 503, no details. */
export const GET = handle(async () => {
  const prisma = await getPrisma();
  await prisma.$queryRaw`SELECT 1`;
  return json({ status: 'ok' });
});
