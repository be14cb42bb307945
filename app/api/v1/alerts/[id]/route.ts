import { authorize } from '@/lib/auth/principal';
import { applyTriage, triageRequestSchema } from '@/lib/alerts/triage-alert';
import { smallDatabaseId } from '@/lib/http/query-fields';
import { readJsonBody } from '@/lib/http/read-json-body';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { publishToHost } from '@/lib/realtime/publish';

/** Triage: {action: acknowledge | reopen | close | annotate, note?}. Analysts and admins only. */
export const POST = handle(async (request: Request, { params }: RouteParams<'id'>) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const id = smallDatabaseId.parse((await params).id);
  const input = triageRequestSchema.parse(await readJsonBody(request));
  const { alert, event } = await applyTriage(prisma, principal, id, input);
  publishToHost(alert.host, 'alert:ack', event);
  return json({ alert });
});
