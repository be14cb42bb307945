import { z } from 'zod';
import { authorize } from '@/lib/auth/principal';
import { databaseId } from '@/lib/http/query-fields';
import type { RouteParams } from '@/lib/http/request-context';
import { handle } from '@/lib/http/respond';
import { socketsCsvForSnapshot } from '@/lib/snapshots/sockets-csv';

const csvQuerySchema = z.object({ snapshot: databaseId.optional() });

export const GET = handle(async (request: Request, { params }: RouteParams<'name'>) => {
  const { prisma } = await authorize(request, 'viewer');
  const { name } = await params;
  const query = csvQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const table = await socketsCsvForSnapshot(prisma, name, query.snapshot ?? null);
  return new Response(table, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-sockets.csv"`,
      'cache-control': 'no-store',
    },
  });
});
