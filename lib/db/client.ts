// One database per process, shared by server.ts and the Next.js route handlers (which Next bundles
// separately, so the instance lives on globalThis rather than in a module variable).
import type { PrismaClient } from '@/lib/generated/prisma/client';
import type { Database } from './open-database';
import type { SqlClient } from './sql-client';

const globalForDatabase = globalThis as typeof globalThis & { __sockscopeDatabase?: Promise<Database> };

/** Registers the process-wide database (server.ts does this once at start-up). */
export function setDatabase(database: Promise<Database>): void {
  globalForDatabase.__sockscopeDatabase = database;
}

export function getDatabase(): Promise<Database> {
  const database = globalForDatabase.__sockscopeDatabase;
  if (!database) throw new Error('The database is not open: start the app with server.ts.');
  return database;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

/**
 * The driver under `prisma` when it is the server's own database (route handlers, local collector);
 * null otherwise (tests, CLI). Hot paths use it because Prisma costs more CPU per statement than the
 * database spends on it (bench/README.md).
 */
export async function serverSqlClient(prisma: PrismaClient): Promise<SqlClient | null> {
  const database = globalForDatabase.__sockscopeDatabase;
  if (!database) return null;
  const opened = await database;
  return opened.prisma === prisma ? opened.sql : null;
}
