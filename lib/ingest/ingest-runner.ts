// Where ingest work runs. With PostgreSQL, on worker threads, each with its own connections: the
// whole ingest — JSON parse, validation, row hashing, the transaction, the diff and the alert rules —
// happens off the main thread, which only receives bodies and sends answers, so one host's largest
// snapshot never holds up other requests (docs/security.md). With the embedded database, which lives
// in the main thread, inline.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SqlClient } from '@/lib/db/sql-client';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { AppError, type ErrorCode, type FieldIssue } from '@/lib/errors';
import { isDatabaseUnavailable, isOutOfRange, isTransientConflict, isUnstorableText } from '@/lib/http/respond';
import type { RetentionPolicy } from '@/lib/retention/retention-weeks';
import type { SnapshotUpload } from '@/lib/schemas/snapshot-upload';
import { ingestSnapshot, type IngestOptions, type IngestResult } from './ingest-snapshot';
import { parseUploadJson, prepareUpload, prepareValidUpload } from './prepare-upload';
import { logger } from '@/lib/logger';

export interface IngestRunner {
  /** Validates and stores one body (a snapshot or a delta) of this host; throws AppError on bad input. */
  ingest: (host: AuthenticatedHost, body: Uint8Array | string) => Promise<IngestResult>;
  close: () => Promise<void>;
}

/** The one ingest of a body, wherever it runs. */
export async function ingestBody(sql: SqlClient, host: AuthenticatedHost, body: Uint8Array | string, retention?: RetentionPolicy): Promise<IngestResult> {
  const upload = prepareUpload(parseUploadJson(typeof body === 'string' ? body : decodeUtf8(body)));
  return ingestSnapshot(sql, host, upload, retention ? { retention } : {});
}

/** A snapshot already checked against the contract (tests, benchmarks): the same ingest, no parsing. */
export function ingestValidSnapshot(sql: SqlClient, host: AuthenticatedHost, snapshot: SnapshotUpload, options: IngestOptions = {}): Promise<IngestResult> {
  return ingestSnapshot(sql, host, prepareValidUpload(snapshot), options);
}

function decodeUtf8(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('bad_request', 'The body is not valid UTF-8.', [{ path: '(body)', message: 'invalid UTF-8' }]);
  }
}

export function createInlineRunner(sql: SqlClient, retention?: RetentionPolicy): IngestRunner {
  return {
    ingest: (host, body) => ingestBody(sql, host, body, retention),
    close: async () => undefined,
  };
}

/** An error as it crosses from a worker: the domain errors keep their meaning, the rest are classified there. */
export interface SerializedError {
  code: ErrorCode | 'internal';
  message: string;
  fields: FieldIssue[];
  retryAfterSeconds?: number;
}

/** Database trouble becomes the AppError the answer would have said (503, 400); anything else is internal. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      fields: error.fields,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  if (isUnstorableText(error)) return { code: 'bad_request', message: 'A value contains characters that cannot be stored, such as a NUL byte.', fields: [] };
  if (isOutOfRange(error)) return { code: 'bad_request', message: 'A number is out of the range the server can store.', fields: [] };
  if (isDatabaseUnavailable(error)) return { code: 'unavailable', message: 'The database is unavailable; retry later.', fields: [], retryAfterSeconds: 5 };
  if (isTransientConflict(error))
    return { code: 'unavailable', message: 'The database was busy with a conflicting change; retry.', fields: [], retryAfterSeconds: 1 };
  logger().error({ err: error }, 'ingest failed');
  return { code: 'internal', message: 'Internal server error.', fields: [] };
}

function deserializeError(serialized: SerializedError): Error {
  if (serialized.code === 'internal') return new Error(serialized.message);
  return new AppError(serialized.code, serialized.message, serialized.fields, serialized.retryAfterSeconds);
}

export interface IngestRequestMessage {
  id: number;
  host: AuthenticatedHost;
  body: Uint8Array | string;
}

export type IngestReplyMessage = { id: number; result: IngestResult } | { id: number; error: SerializedError };

export interface WorkerPoolOptions {
  databaseUrl: string;
  /** Threads for ordinary bodies; default: the cores, at most 4. */
  workers?: number;
  retention?: RetentionPolicy;
  /** Bodies from this many bytes take the large-body lane; default LARGE_BODY_BYTES. */
  largeBodyBytes?: number;
}

/**
 * A body this large keeps a thread busy for hundreds of milliseconds of parsing, validation and hashing
 * (the largest allowed, 16 MiB, for seconds): more than an ordinary snapshot's whole ingest. Such bodies
 * get a lane of their own so they never queue ordinary ones behind them. A real host's whole snapshot
 * is far below it (400 processes and 200 sockets: about 100 KiB).
 */
const LARGE_BODY_BYTES = 1024 * 1024;
/** Large bodies in the lane at once (one ingesting, the rest waiting); past it 503 + Retry-After. */
const LARGE_BODIES_IN_HAND = 4;
const LARGE_BUSY_RETRY_SECONDS = 5;

export type WorkerLane = 'ordinary' | 'large';

function defaultIngestWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

interface PooledWorker {
  thread: Worker;
  inHand: number;
}

/**
 * Worker threads, each handling many ingests at once (they mostly wait on the database); an ordinary
 * body goes to the thread with the fewest in hand. Large bodies go one at a time to a thread of their
 * own, started when the first one comes, which runs at the lowest CPU priority with one connection:
 * one host posting the largest snapshot slows itself, not the other hosts (bench phase 5). A thread
 * that dies fails its ingests (503: the collectors retry) and is replaced.
 */
export async function createWorkerPool(options: WorkerPoolOptions): Promise<IngestRunner> {
  const count = options.workers ?? defaultIngestWorkers();
  const largeBodyBytes = options.largeBodyBytes ?? LARGE_BODY_BYTES;
  const pending = new Map<number, { resolve: (result: IngestResult) => void; reject: (error: Error) => void; worker: PooledWorker }>();
  let nextId = 1;
  let closing = false;

  const start = (lane: WorkerLane): Promise<PooledWorker> =>
    new Promise((resolve, reject) => {
      const thread = new Worker(new URL('./typescript-worker.mjs', import.meta.url), {
        workerData: {
          module: new URL('./ingest-worker.ts', import.meta.url).href,
          databaseUrl: options.databaseUrl,
          retention: options.retention ?? null,
          lane,
        },
      });
      const pooled: PooledWorker = { thread, inHand: 0 };
      thread.once('message', (message: { ready?: boolean; error?: string }) => {
        if (message.ready) resolve(pooled);
        else reject(new Error(`ingest worker did not start: ${message.error ?? 'unknown'}`));
        thread.on('message', (reply: IngestReplyMessage) => {
          const waiting = pending.get(reply.id);
          if (!waiting) return;
          pending.delete(reply.id);
          pooled.inHand -= 1;
          if ('result' in reply) waiting.resolve(reply.result);
          else waiting.reject(deserializeError(reply.error));
        });
      });
      thread.on('error', (error) => logger().error({ err: error }, 'ingest worker failed'));
      thread.on('exit', () => {
        for (const [id, waiting] of pending) {
          if (waiting.worker !== pooled) continue;
          pending.delete(id);
          waiting.reject(new AppError('unavailable', 'The ingest worker stopped; retry.', [], 1));
        }
        if (lane === 'large') {
          // Started again by the next large body.
          largeWorker = null;
          return;
        }
        const index = workers.indexOf(pooled);
        if (index >= 0) workers.splice(index, 1);
        // A replacement after a pause, so a worker that cannot start does not spin.
        if (!closing)
          setTimeout(
            () =>
              void start('ordinary').then(
                (replacement) => workers.push(replacement),
                (error: unknown) => logger().error({ err: error }, 'ingest worker did not restart'),
              ),
            1_000,
          ).unref();
      });
    });

  const send = (worker: PooledWorker, host: AuthenticatedHost, body: Uint8Array | string): Promise<IngestResult> => {
    const id = nextId++;
    worker.inHand += 1;
    return new Promise<IngestResult>((resolve, reject) => {
      pending.set(id, { resolve, reject, worker });
      const message: IngestRequestMessage = { id, host, body };
      // The body's bytes move to the worker instead of being copied.
      const transfer = typeof body !== 'string' && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? [body.buffer as ArrayBuffer] : [];
      worker.thread.postMessage(message, transfer);
    });
  };

  const workers: PooledWorker[] = [];
  workers.push(...(await Promise.all(Array.from({ length: count }, () => start('ordinary')))));

  let largeWorker: Promise<PooledWorker> | null = null;
  let largeInHand = 0;
  // Each large body starts when the one before it has been answered.
  let largeQueue: Promise<unknown> = Promise.resolve();
  const ingestLarge = (host: AuthenticatedHost, body: Uint8Array | string): Promise<IngestResult> => {
    if (largeInHand >= LARGE_BODIES_IN_HAND) {
      return Promise.reject(
        new AppError(
          'unavailable',
          `The server is ingesting ${largeInHand} large snapshots already; retry in ${LARGE_BUSY_RETRY_SECONDS} s.`,
          [],
          LARGE_BUSY_RETRY_SECONDS,
        ),
      );
    }
    largeInHand += 1;
    const run = largeQueue.then(() => {
      largeWorker ??= start('large').catch((error: unknown) => {
        largeWorker = null;
        logger().error({ err: error }, 'large-body ingest worker did not start');
        throw new AppError('unavailable', 'No ingest worker is running; retry.', [], 1);
      });
      return largeWorker.then((worker) => send(worker, host, body));
    });
    largeQueue = run.catch(() => undefined);
    return run.finally(() => {
      largeInHand -= 1;
    });
  };

  return {
    ingest(host, body) {
      const bytes = typeof body === 'string' ? body.length : body.byteLength;
      if (bytes >= largeBodyBytes) return ingestLarge(host, body);
      const worker = workers.reduce<PooledWorker | undefined>((least, candidate) => (!least || candidate.inHand < least.inHand ? candidate : least), undefined);
      if (!worker) return Promise.reject(new AppError('unavailable', 'No ingest worker is running; retry.', [], 1));
      return send(worker, host, body);
    },
    async close() {
      closing = true;
      const large = largeWorker ? await largeWorker.catch(() => null) : null;
      await Promise.all([...workers, ...(large ? [large] : [])].map((worker) => worker.thread.terminate()));
    },
  };
}
