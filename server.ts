// One Node process, one HTTP server: Next.js pages and API routes, socket.io, the built-in local
// collector and the background checks. `npm start` runs this (through tsx).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { POST as postSnapshot } from '@/app/api/v1/snapshots/route';
import { runAdminCommand } from '@/lib/admin/commands';
import { removeServerHandle, secretsEqual, writeServerHandle, type ServerHandle } from '@/lib/admin/server-handle';
import { ConfigError, readConfig } from '@/lib/config';
import { DataDirError, makeDataDirPrivate } from '@/lib/data-dir/private-data-dir';
import { setDatabase } from '@/lib/db/client';
import { MigrationError } from '@/lib/db/migrate';
import { openDatabase, type Database } from '@/lib/db/open-database';
import { startBackgroundJobs } from '@/lib/background-jobs';
import { createAlertForwarder, setAlertForwarder } from '@/lib/forwarding/forward-alerts';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { parseIngestRate } from '@/lib/http/ingest-rate-limit';
import { errorResponse } from '@/lib/http/respond';
import { apiAnswerHeaders } from '@/lib/http/security-headers';
import { serveOutsideNext } from '@/lib/ingest/serve-outside-next';
import { startLocalCollector, type LocalCollector } from '@/lib/local-collector';
import { attachRealtime } from '@/lib/realtime/attach';
import { ensureFirstAdmin } from '@/lib/users/users';

async function main(): Promise<void> {
  const config = readConfig();
  parseIngestRate(config.SOCKSCOPE_INGEST_RATE);
  const dev = process.argv.includes('--dev');
  // Everything the server writes (the embedded database above all) is for this user's eyes only.
  process.umask(0o077);
  await makeDataDirPrivate(config.dataDir);

  const databasePromise = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  setDatabase(databasePromise);
  const database = await databasePromise;
  console.log(`[sockscope] database: ${database.location}`);

  const firstAdmin = await ensureFirstAdmin(database.prisma, process.env.SOCKSCOPE_ADMIN_PASSWORD);
  if (firstAdmin) {
    console.log('[sockscope] ────────────────────────────────────────────────────────────');
    console.log(`[sockscope] First run: sign in as "${firstAdmin.name}" with password: ${firstAdmin.password}`);
    console.log('[sockscope] It is shown once and stays in this log: sign in and change it at once (your name at the top right → Change password).');
    console.log('[sockscope] ────────────────────────────────────────────────────────────');
  }

  const alertForwarder = createAlertForwarder({ syslog: config.SOCKSCOPE_SYSLOG, webhookUrl: config.SOCKSCOPE_WEBHOOK_URL });
  setAlertForwarder(alertForwarder);

  const app = next({ dev, dir: process.cwd(), hostname: 'localhost', port: config.PORT });
  const handleNext = app.getRequestHandler();
  await app.prepare();

  let adminHandle: ServerHandle | null = null;
  const ingestHeaders = apiAnswerHeaders();
  const httpServer = createServer((request, response) => {
    // Route handlers see the real peer address, never a value the client sent under that name.
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? '';
    if (request.url === '/internal/admin') {
      void handleAdminRequest(request, response, database, adminHandle);
      return;
    }
    // Collectors' snapshots skip Next.js's per-request pipeline, which costs as much CPU as the
    // ingest itself (bench/README.md); the route handler is the same one Next.js would call.
    if (request.method === 'POST' && pathOf(request.url) === SNAPSHOTS_PATH) {
      void serveOutsideNext(request, response, postSnapshot, ingestHeaders);
      return;
    }
    void handleNext(request, response);
  });
  attachRealtime(httpServer, async () => database.prisma);

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOSTNAME, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (!config.DATABASE_URL) adminHandle = await writeServerHandle(config.dataDir, port);
  console.log(`[sockscope] dashboard on http://localhost:${port}`);

  const localCollector: LocalCollector | null = config.SOCKSCOPE_LOCAL_COLLECTOR
    ? startLocalCollector(database.prisma, config.SOCKSCOPE_LOCAL_INTERVAL)
    : null;
  const backgroundJobs = startBackgroundJobs(database.prisma, config);

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`[sockscope] ${signal}: shutting down`);
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    backgroundJobs.stop();
    await localCollector?.stop();
    alertForwarder?.close();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    if (adminHandle) await removeServerHandle(config.dataDir);
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const SNAPSHOTS_PATH = '/api/v1/snapshots';

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const queryStart = path.indexOf('?');
  return queryStart === -1 ? path : path.slice(0, queryStart);
}

const loopbackAddresses = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Admin commands for the CLI on this machine: loopback only, with the secret from DATA_DIR. */
async function handleAdminRequest(request: IncomingMessage, response: ServerResponse, database: Database, handle: ServerHandle | null) {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const secret = request.headers['x-sockscope-admin-secret'];
  const allowed =
    request.method === 'POST' &&
    handle !== null &&
    loopbackAddresses.has(request.socket.remoteAddress ?? '') &&
    typeof secret === 'string' &&
    secretsEqual(secret, handle.secret);
  if (!allowed) return send(404, { error: { code: 'not_found', message: 'Not found.' } });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const line = await runAdminCommand(database.prisma, JSON.parse(Buffer.concat(chunks).toString('utf8')));
    send(200, { line });
  } catch (error) {
    const failure = errorResponse(error);
    send(failure.status, await failure.json());
  }
}

main().catch((error: unknown) => {
  const isExplained = error instanceof ConfigError || error instanceof MigrationError || error instanceof DataDirError;
  console.error(isExplained ? `[sockscope] ${error.message}` : error);
  process.exit(1);
});
