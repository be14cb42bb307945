// Opens PostgreSQL (DATABASE_URL) or the embedded PGlite and brings its schema up to date.
// Used by server.ts, the admin CLI and tests; never imported by Next.js bundles.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { getConfig } from '@/lib/config';
import { lockDataDir } from '@/lib/data-dir/data-dir-lock';
import { makeDataDirPrivate } from '@/lib/data-dir/private-data-dir';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { weeksIngestTargets, type RetentionPolicy } from '@/lib/retention/retention-weeks';
import { runMigrations } from './migrate';
import { ensurePartitions } from './partitions';
import { pgliteSqlClient, postgresSqlClient, type SqlClient } from './sql-client';

export interface Database {
  prisma: PrismaClient;
  sql: SqlClient;
  /** Where the data lives, for logs: a redacted URL or the embedded data directory. */
  location: string;
  close: () => Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  migrate?: boolean;
  /** Decides which week partitions to create ahead; SOCKSCOPE_RETENTION_* when not given. */
  retention?: RetentionPolicy;
  /** PostgreSQL connections at most (default 10). */
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openEmbedded(options.dataDir);
  if (options.migrate !== false) {
    await runMigrations(database.sql);
    const weeks = weeksIngestTargets(options.retention ?? getConfig().retention, new Date());
    await ensurePartitions((statement) => database.sql.exec(statement), weeks);
  }
  return database;
}

function openPostgres(databaseUrl: string, poolSize: number): Database {
  // Idle connections are kept for minutes, not pg's 10 s: a new backend spends milliseconds loading
  // the ~55 week partitions' catalog entries and re-preparing the hot statements on its first queries.
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 5 * 60_000 });
  // A dropped connection must not crash the server: the pool replaces it, queries answer 503.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: postgresSqlClient(pool),
    location: redactUrl(databaseUrl),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  // One process per embedded database: a second one would abort PGlite (lib/data-dir/data-dir-lock.ts).
  const lock = await lockDataDir(dataDir);
  const pglite = await startPglite(dataDir).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    sql: pgliteSqlClient(pglite),
    location: `embedded PGlite in ${path.join(dataDir, 'pgdata')}`,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await lock.release();
    },
  };
}

async function startPglite(dataDir: string): Promise<PGlite> {
  const directory = path.join(dataDir, 'pgdata');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // Loaded lazily: a PostgreSQL deployment never pays for the WebAssembly database.
  const { PGlite } = await import('@electric-sql/pglite');
  // btree_gist: the row tables' GiST indexes on (hostId, openedSeq, closedSeq) (migration 004).
  const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
  const pglite = await PGlite.create(directory, { extensions: { btree_gist } });
  try {
    // PGlite writes a new database's files world-writable (0666), whatever the umask.
    await makeDataDirPrivate(dataDir);
  } catch (error) {
    await pglite.close();
    throw error;
  }
  return pglite;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgresql://(unparsable URL)';
  }
}
