// One database per process, shared by server.ts and the Next.js route handlers (lib/process-state.ts).
// Route handlers and pages take Prisma from here, and only from here.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { getProcessState, setProcessState } from '@/lib/process-state';
import type { Database } from './open-database';
import type { SqlClient } from './sql-client';

/** Registers the process-wide database (server.ts does this once at start-up). */
export function setDatabase(database: Promise<Database>): void {
  setProcessState('database', database);
}

function getDatabase(): Promise<Database> {
  const database = getProcessState('database');
  if (!database) throw new Error('The database is not open: start the app with server.ts.');
  return database;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

/**
 * The driver under `prisma` when it is the server's own database (route handlers, built-in
 * collector); null otherwise (tests, CLI). Hot paths use it because Prisma costs more CPU per
 * statement than the database spends on it (bench/README.md).
 */
export async function serverSqlClient(prisma: PrismaClient): Promise<SqlClient | null> {
  const database = getProcessState('database');
  if (!database) return null;
  const opened = await database;
  return opened.prisma === prisma ? opened.sql : null;
}
