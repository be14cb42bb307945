import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import { applyTriage, triageRequestSchema } from '@/lib/alerts/triage-alert';
import { readJsonBody } from '@/lib/http/read-json-body';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { publishToHost } from '@/lib/realtime/publish';

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);

/** Triage: {action: acknowledge | reopen | close | annotate, note?}. Analysts and admins only. */
export const POST = handle(async (request: Request, { params }: RouteParams<'id'>) => {
  const { prisma, principal } = await authorize(request, 'analyst');
  const id = idSchema.parse((await params).id);
  const input = triageRequestSchema.parse(await readJsonBody(request));
  const { alert, event } = await applyTriage(prisma, principal, id, input);
  publishToHost(alert.host, 'alert:ack', event);
  return json({ alert });
});
