// A PostgreSQL server of the test's own — initdb into a temp dir, a free loopback port — so fault
// tests can stop and start it under load without touching the machine's shared cluster.
// initdb refuses to run as root, so the server runs as the `postgres` OS user.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  port: number;
  /** postgresql:// URL of a database on this server. */
  url: (database?: string) => string;
  createDatabase: (name: string) => Promise<string>;
  /** `pg_ctl stop`: fast = roll back open transactions and close connections, as a restart does. */
  stop: (mode?: 'fast' | 'immediate') => Promise<void>;
  start: () => Promise<void>;
  dispose: () => Promise<void>;
}

async function asPostgres(command: string, args: string[]): Promise<string> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  if (process.getuid?.() === uid) return (await run(command, args)).stdout;
  return (await run('runuser', ['-u', 'postgres', '--', command, ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sockscope-pg-'));
  const { stdout: ids } = await run('id', ['postgres']);
  const uid = Number(/uid=(\d+)/.exec(ids)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(ids)?.[1]);
  await chown(root, uid, gid);
  const dataDir = path.join(root, 'data');
  const port = await freePort();
  await asPostgres(path.join(BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${root} -c max_connections=60`;
  const pgCtl = (...args: string[]) => asPostgres(path.join(BIN, 'pg_ctl'), ['-D', dataDir, ...args]);
  const start = async () => {
    await pgCtl('-o', options, '-l', path.join(root, 'postgres.log'), '-w', '-t', '60', 'start');
  };
  await start();
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
      return url(name);
    },
    async stop(mode = 'fast') {
      await pgCtl('-m', mode, '-w', '-t', '60', 'stop');
    },
    start,
    async dispose() {
      await pgCtl('-m', 'immediate', '-w', 'stop').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
