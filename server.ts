// One Node process, one HTTP server: Next.js pages and API routes, socket.io, the snapshot ingest
// and admin endpoints (server/), the built-in collector of this machine and the background checks.
// `npm start` runs this (through tsx).
import { createServer } from 'node:http';
import next from 'next';
import { removeServerHandle, writeServerHandle, type ServerHandle } from '@/lib/admin/server-handle';
import { ConfigError, getConfig } from '@/lib/config';
import { DataDirError, makeDataDirPrivate } from '@/lib/data-dir/private-data-dir';
import { setDatabase } from '@/lib/db/client';
import { MigrationError } from '@/lib/db/migrate';
import { openDatabase } from '@/lib/db/open-database';
import { startBackgroundJobs } from '@/lib/background-jobs';
import { startBuiltinCollector, type BuiltinCollector } from '@/lib/builtin-collector/builtin-collector';
import { createAlertForwarder, setAlertForwarder } from '@/lib/forwarding/forward-alerts';
import { PEER_ADDRESS_HEADER } from '@/lib/http/client-address';
import { apiAnswerHeaders } from '@/lib/http/security-headers';
import { IngestLimits } from '@/lib/ingest/ingest-limits';
import { createInlineRunner, createWorkerPool } from '@/lib/ingest/ingest-runner';
import { SnapshotReceiver } from '@/lib/ingest/snapshot-receiver';
import { logger } from '@/lib/logger';
import { attachRealtime } from '@/lib/realtime/attach';
import { ensureFirstAdmin } from '@/lib/users/users';
import { ADMIN_PATH, serveAdminRequest } from '@/server/admin-endpoint';
import { createIngestEndpoint } from '@/server/ingest-endpoint';
import { SNAPSHOTS_PATH } from '@/server/routes';
import { refuseMalformedRouterState } from '@/server/router-state';

async function main(): Promise<void> {
  // Parsed here, once, before anything else: a bad variable stops the server with a sentence naming it.
  const config = getConfig();
  const log = logger();
  const dev = process.argv.includes('--dev');
  // Everything the server writes (the embedded database above all) is for this user's eyes only.
  process.umask(0o077);
  await makeDataDirPrivate(config.dataDir);

  const databasePromise = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  setDatabase(databasePromise);
  const database = await databasePromise;
  log.info(`database: ${database.location}`);

  const firstAdmin = await ensureFirstAdmin(database.prisma, config.SOCKSCOPE_ADMIN_PASSWORD);
  if (firstAdmin) {
    // In the message, not in a field: the redact rule would hide it, and it is meant to be read once.
    log.warn(`First run: sign in as "${firstAdmin.name}" with password: ${firstAdmin.password}`);
    log.warn('It is shown once and stays in this log: sign in and change it at once (your name at the top right → Change password).');
  }

  const alertForwarder = createAlertForwarder({ syslog: config.SOCKSCOPE_SYSLOG, webhookUrl: config.SOCKSCOPE_WEBHOOK_URL });
  setAlertForwarder(alertForwarder);

  const app = next({ dev, dir: process.cwd(), hostname: 'localhost', port: config.PORT });
  const handleNext = app.getRequestHandler();
  await app.prepare();

  // Ingest runs on worker threads with PostgreSQL (each with its own connections), inline with the
  // embedded database, which lives in this thread (lib/ingest/ingest-runner.ts).
  const runner =
    config.DATABASE_URL && config.SOCKSCOPE_INGEST_WORKERS !== 0
      ? await createWorkerPool({ databaseUrl: config.DATABASE_URL, workers: config.SOCKSCOPE_INGEST_WORKERS, retention: config.retention })
      : createInlineRunner(database.sql, config.retention);
  const receiver = new SnapshotReceiver(
    runner,
    new IngestLimits({
      rate: config.SOCKSCOPE_INGEST_RATE,
      concurrency: config.SOCKSCOPE_INGEST_CONCURRENCY,
      receivingBytes: config.SOCKSCOPE_INGEST_RECEIVING_BYTES,
    }),
  );
  const serveSnapshotPost = createIngestEndpoint({
    prisma: database.prisma,
    receiver,
    maxSnapshotBytes: config.SOCKSCOPE_MAX_SNAPSHOT_BYTES,
    headers: apiAnswerHeaders(),
  });

  let adminHandle: ServerHandle | null = null;
  const httpServer = createServer((request, response) => {
    // Route handlers see the real peer address, never a value the client sent under that name.
    request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? '';
    if (request.url === ADMIN_PATH) {
      void serveAdminRequest(request, response, database, adminHandle);
      return;
    }
    if (request.method === 'POST' && pathOf(request.url) === SNAPSHOTS_PATH) {
      void serveSnapshotPost(request, response);
      return;
    }
    if (refuseMalformedRouterState(request, response)) return;
    void handleNext(request, response);
  });
  // Slow headers (slowloris) are cut sooner than Node's default minute.
  httpServer.headersTimeout = 20_000;
  attachRealtime(httpServer, async () => database.prisma);

  await new Promise<void>((resolve) => httpServer.listen(config.PORT, config.HOSTNAME, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (!config.DATABASE_URL) adminHandle = await writeServerHandle(config.dataDir, port);
  log.info(`dashboard on http://localhost:${port}`);

  const builtinCollector: BuiltinCollector | null = config.SOCKSCOPE_LOCAL_COLLECTOR
    ? startBuiltinCollector(database.prisma, receiver, {
        intervalSeconds: config.SOCKSCOPE_LOCAL_INTERVAL,
        tracerouteTargets: config.SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS,
        tracerouteIntervalSeconds: config.SOCKSCOPE_LOCAL_TRACEROUTE_INTERVAL,
      })
    : null;
  const backgroundJobs = startBackgroundJobs(database.prisma, config);

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`${signal}: shutting down`);
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    backgroundJobs.stop();
    await builtinCollector?.stop();
    await alertForwarder?.close(); // delivers what is queued, for a few seconds at most
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await receiver.close();
    if (adminHandle) await removeServerHandle(config.dataDir);
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const queryStart = path.indexOf('?');
  return queryStart === -1 ? path : path.slice(0, queryStart);
}

main().catch((error: unknown) => {
  // A problem the operator can fix is one sentence; anything else keeps its stack.
  const isExplained = error instanceof ConfigError || error instanceof MigrationError || error instanceof DataDirError;
  if (isExplained) logger().fatal(error.message);
  else logger().fatal({ err: error }, 'the server stopped');
  process.exit(1);
});
