// A minimal SQL interface over both databases we run on: PostgreSQL through `pg`, and the
// embedded PGlite. Migrations and bulk writes use it; everything else goes through Prisma.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

export interface SqlRunner {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migration files). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlRunner {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export function postgresSqlClient(pool: Pool): SqlClient {
  const runnerFor = (client: Pool | PoolClient): SqlRunner => ({
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await client.query(text, params);
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
    async query<Row>(text: string, params: unknown[] = []) {
      const result = await client.query(text, params);
      return result.rows as Row[];
    },
    async exec(text: string) {
      await client.exec(text);
    },
  });
  return {
    kind: 'pglite',
    ...runnerFor(database),
    transaction: (work) => database.transaction((tx) => work(runnerFor(tx))),
  };
}
