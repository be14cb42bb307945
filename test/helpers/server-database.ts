// Looking at a test server's database directly: row counts of every table, to prove a request
// stored nothing. The embedded database belongs to one process, so for PGlite the server is
// stopped first and started again on the same data (its sessions and tokens stay valid).
import { openDatabase } from '@/lib/db/open-database';
import type { SqlRunner } from '@/lib/db/sql-client';
import { startAppServer, type AppServer } from './app-server';

export type TableCounts = Record<string, number>;

async function countRows(env: Record<string, string>): Promise<TableCounts> {
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.DATA_DIR ?? '', migrate: false });
  try {
    return await countTableRows(database.sql);
  } finally {
    await database.close();
  }
}

/** Row counts of every table of the schema (migrations bookkeeping aside). */
export async function countTableRows(sql: SqlRunner): Promise<TableCounts> {
  const tables = await sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  const counts: TableCounts = {};
  for (const { table_name: table } of tables) {
    const [row] = await sql.query<{ count: string | number }>(`SELECT count(*) AS count FROM "${table}"`);
    counts[table] = Number(row?.count ?? 0);
  }
  return counts;
}

/** A server whose database can be read between requests (restarted for PGlite). */
export interface InspectableServer {
  current: AppServer;
  /** Row counts of every table; the server is restarted around the count when it must be. */
  countRows: () => Promise<TableCounts>;
  /** Runs a query on the server's database (stopping the embedded server around it). */
  query: <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;
  /** What every server process of this handle printed, in order. */
  output: () => string;
  dispose: () => Promise<void>;
}

export async function startInspectableServer(options: { env?: Record<string, string> } = {}): Promise<InspectableServer> {
  const first = await startAppServer(options);
  const restarted: AppServer[] = [];
  const isEmbedded = !first.env.DATABASE_URL;
  const handle: InspectableServer = {
    current: first,
    async countRows() {
      return withDatabaseAccess(() => countRows(first.env));
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      return withDatabaseAccess(async () => {
        const database = await openDatabase({ databaseUrl: first.env.DATABASE_URL || undefined, dataDir: first.env.DATA_DIR ?? '', migrate: false });
        try {
          return await database.sql.query<Row>(sql, params);
        } finally {
          await database.close();
        }
      });
    },
    output() {
      return [first, ...restarted].map((server) => server.output()).join('\n');
    },
    async dispose() {
      for (const server of restarted) await server.stop();
      await first.dispose();
    },
  };
  async function withDatabaseAccess<T>(work: () => Promise<T>): Promise<T> {
    if (!isEmbedded) return work();
    await handle.current.stop();
    try {
      return await work();
    } finally {
      const next = await startAppServer({ ...options, keepData: { env: first.env } });
      restarted.push(next);
      handle.current = next;
    }
  }
  return handle;
}
