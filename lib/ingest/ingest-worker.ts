// An ingest worker thread (lib/ingest/ingest-runner.ts): its own connections to PostgreSQL, and the
// same ingest as inline. Answers { id, result } or { id, error } per body, many at once.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '@/lib/db/open-database';
import type { RetentionPolicy } from '@/lib/retention/retention-weeks';
import { ingestBody, serializeError, type IngestReplyMessage, type IngestRequestMessage, type WorkerLane } from './ingest-runner';

const INGEST_CONNECTIONS_PER_WORKER = 3;

const { databaseUrl, retention, lane } = workerData as { databaseUrl: string; retention: RetentionPolicy | null; lane: WorkerLane };
const port = parentPort;
if (!port) throw new Error('ingest-worker.ts runs as a worker thread');

try {
  // The server has migrated the database before starting its workers. Few connections: more ingest
  // transactions at once than PostgreSQL has cores only contend (bench --quick at 167/s offered, 2 cores,
  // two workers: 106/s done at 3 connections each, 85/s at 10; PostgreSQL CPU per snapshot at 50/s 22 ms against 31).
  // Ingests past them wait here for a connection, within the server's ingest slots.
  // The large-body lane ingests one body at a time: one connection, and the CPU only when the rest of the server leaves it some.
  if (lane === 'large') lowerThisThreadsPriority();
  const database = await openDatabase({ databaseUrl, dataDir: '', migrate: false, poolSize: lane === 'large' ? 1 : INGEST_CONNECTIONS_PER_WORKER });
  port.on('message', (message: IngestRequestMessage) => {
    ingestBody(database.sql, message.host, message.body, retention ?? undefined).then(
      (result) => port.postMessage({ id: message.id, result } satisfies IngestReplyMessage),
      (error: unknown) => port.postMessage({ id: message.id, error: serializeError(error) } satisfies IngestReplyMessage),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: error instanceof Error ? error.message : String(error) });
}

/**
 * Linux gives each thread its own nice value: setpriority on this thread's id (from /proc/thread-self)
 * lowers this thread alone, not the server's main thread. Elsewhere it stays as it is.
 */
function lowerThisThreadsPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(threadId, os.constants.priority.PRIORITY_LOW);
  } catch {
    // No /proc/thread-self (not Linux): the lane still keeps large bodies off the other threads.
  }
}
