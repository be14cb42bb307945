import { authorize } from '@/lib/auth/principal';
import { applyTriageToMany, bulkTriageRequestSchema } from '@/lib/alerts/triage-alert';
import { readJsonBody } from '@/lib/http/read-json-body';
import { handle, json } from '@/lib/http/respond';
import { publishToHost } from '@/lib/realtime/publish';

/** Triage of several alerts at once: {ids, action, note?}, all or none. Analysts and admins only. */
export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const input = bulkTriageRequestSchema.parse(await readJsonBody(request));
  const triaged = await applyTriageToMany(prisma, principal, input);
  for (const { alert, event } of triaged) publishToHost(alert.host, 'alert:ack', event);
  return json({ alerts: triaged.map(({ alert }) => alert) });
});
