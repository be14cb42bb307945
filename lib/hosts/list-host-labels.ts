// Every label in use, for the fleet page's label filter.
import type { PrismaClient } from '@/lib/generated/prisma/client';

export async function listHostLabels(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ label: string }[]>`
    SELECT DISTINCT unnest("labels") AS "label" FROM "Host" ORDER BY 1 LIMIT 1000`;
  return rows.map((row) => row.label);
}
