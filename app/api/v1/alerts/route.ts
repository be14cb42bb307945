import { authorize } from '@/lib/auth/principal';
import { alertListQuerySchema, listAlerts } from '@/lib/alerts/list-alerts';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const query = alertListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json({ alerts: await listAlerts(prisma, query) });
});
