import { authorize } from '@/lib/auth/principal';
import { auditQuerySchema, listAuditLog } from '@/lib/audit/list-audit-log';
import { handle, json } from '@/lib/http/respond';

/** The audit trail is for admins: it names every analyst and what they did. */
export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'admin');
  const query = auditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json({ entries: await listAuditLog(prisma, query) });
});
