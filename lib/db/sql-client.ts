// A minimal SQL interface over both databases we run on: PostgreSQL through `pg`, and the
// embedded PGlite. Migrations and bulk writes use it; everything else goes through Prisma.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export interface QueryOptions {
  /**
   * Prepare the statement under this name once per connection and reuse its plan (PostgreSQL;
   * PGlite ignores it). For hot statements on partitioned tables, whose planning grows with the
   * number of partitions. The name must always stand for the same text.
   */
  statementName?: string;
}

export interface SqlRunner {
  query: <Row = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Row[]>;
  /** Several statements, no parameters (migration files). */
  exec: (text: string) => Promise<void>;
}

export interface SqlClient extends SqlRunner {
  readonly kind: 'postgres' | 'pglite';
  transaction: <T>(work: (tx: SqlRunner) => Promise<T>) => Promise<T>;
}

export function postgresSqlClient(pool: Pool): SqlClient {
  const runnerFor = (client: Pool | PoolClient): SqlRunner => ({
    async query<Row>(text: string, params: unknown[] = [], options: QueryOptions = {}) {
      const result = await client.query(options.statementName ? { name: options.statementName, text, values: params } : { text, values: params });
      return result.rows as Row[];
    },
    async exec(text: string) {
      await client.query(text);
    },
  });
  return {
    kind: 'postgres',
    ...runnerFor(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(runnerFor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export function pgliteSqlClient(database: PGlite): SqlClient {
  const runnerFor = (client: PGlite | Transaction): SqlRunner => ({
    query: async <Row>(text: string, params: unknown[] = []) => (await client.query<Row>(text, params)).rows,
    exec: async (text: string) => void (await client.exec(text)),
  });
  return {
    kind: 'pglite',
    ...runnerFor(database),
    transaction: (work) => database.transaction((tx) => work(runnerFor(tx))),
  };
}

/** Raw SQL through Prisma, for read paths that hold a Prisma client (route handlers, pages). */
export function prismaSqlRunner(prisma: {
  $queryRawUnsafe: <T = unknown>(query: string, ...values: unknown[]) => Promise<T>;
  $executeRawUnsafe: (query: string, ...values: unknown[]) => Promise<number>;
}): SqlRunner {
  return {
    query: <Row>(text: string, params: unknown[] = []) => prisma.$queryRawUnsafe<Row[]>(text, ...params),
    async exec(text: string) {
      await prisma.$executeRawUnsafe(text);
    },
  };
}

/** UTC wall-clock text for timestamp(3) columns, which hold UTC (as Prisma writes them), whatever the session time zone. */
export function utcTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
