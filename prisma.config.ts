// Prisma CLI configuration. The app itself connects through driver adapters (lib/db/client.ts);
// the URL here only matters for `prisma migrate deploy` where the schema engine is available.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' },
});
