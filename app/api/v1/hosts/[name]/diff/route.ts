import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import { databaseId } from '@/lib/http/query-fields';
import type { RouteParams } from '@/lib/http/request-context';
import { handle, json } from '@/lib/http/respond';
import { diffStoredSnapshots } from '@/lib/snapshots/diff-stored-snapshots';

const diffQuerySchema = z.object({ from: databaseId, to: databaseId });

export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name } = await params;
  const query = diffQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await diffStoredSnapshots(prisma, name, query.from, query.to));
});
