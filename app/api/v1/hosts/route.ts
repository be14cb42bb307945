import { z } from 'zod';
import { actorOf } from '@/lib/auth/audit';
import { authorize } from '@/lib/auth/principal';
import { enrollHost } from '@/lib/hosts/host-tokens';
import { hostListQuerySchema, listHosts } from '@/lib/hosts/list-hosts';
import { readJsonBody } from '@/lib/http/read-json-body';
import { getConfig } from '@/lib/config';
import { handle, json } from '@/lib/http/respond';

export const GET = handle(async (request: Request) => {
  const { prisma } = await authorize(request, 'viewer');
  const query = hostListQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await listHosts(prisma, query, { silentAfterIntervals: getConfig().SOCKSCOPE_SILENT_AFTER_INTERVALS }));
});

const enrolSchema = z.strictObject({ name: z.string(), labels: z.array(z.string().min(1).max(64)).max(32).default([]) });

/** Admins enrol a host; the token is in this answer and nowhere else, ever. */
export const POST = handle(async (request: Request) => {
  const { prisma, principal } = await authorize(request, 'admin');
  const body = enrolSchema.parse(await readJsonBody(request));
  const enrolled = await enrollHost(prisma, body.name, body.labels, actorOf(principal));
  return json({ name: enrolled.name, token: enrolled.token }, 201);
});
