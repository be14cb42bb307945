// The `run` schedule: collect every interval into the spool, and drain the spool to the server
// whenever it answers, backing off with full jitter while it does not.
import type { Snapshot } from '../lib/schemas/snapshot';
import { delayedSignal, sleep } from './abort';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelayMs } from './backoff';
import { DeltaEncoder, sendingDeltas } from './delta';
import { drainSpool } from './delivery';
import { EXIT_FAILURE, EXIT_OK } from './exit-codes';
import type { Logger } from './log';
import { type SendOptions, type SendOutcome, postSnapshot } from './send';
import type { Spool } from './spool';

/** How long a POST in flight may still take after SIGTERM before it is cut and left spooled. */
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

export interface RunLoopOptions {
  server: string;
  token: string;
  intervalMs: number;
  timeoutMs: number;
  /** Collect and send one snapshot (after any backlog), then return. */
  once: boolean;
  spool: Spool;
  collect: () => Promise<Snapshot>;
  log: Logger;
  stopSignal: AbortSignal;
  shutdownGraceMs?: number;
  backoff?: BackoffOptions;
  send?: (body: string, options: SendOptions) => Promise<SendOutcome>;
  /** Called each time the loop is about to sleep: the daemon frees memory there (collector/daemon-memory.ts). */
  beforeSleep?: () => void;
}

export interface RunSummary {
  exitCode: number;
  collected: number;
  delivered: number;
  rejected: number;
}

export async function runCollector(options: RunLoopOptions): Promise<RunSummary> {
  const { spool, log, stopSignal } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const postSignal = delayedSignal(stopSignal, options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
  const sendOptions = { server: options.server, token: options.token, timeoutMs: options.timeoutMs, signal: postSignal };
  const send = (body: string) => (options.send ?? postSnapshot)(body, sendOptions);
  // After the first snapshot the server acknowledges, each goes as its changes (collector/delta.ts).
  const sendSpooled = sendingDeltas(new DeltaEncoder(), send);
  const summary: RunSummary = { exitCode: EXIT_OK, collected: 0, delivered: 0, rejected: 0 };

  await logEarlierDrops(spool, log);
  let nextCollectAt = Date.now();
  let retryAt = 0;
  let failedAttempts = 0;
  // A spool left by an earlier run is replayed before anything new.
  let hasBacklog = true;

  while (true) {
    if (Date.now() >= nextCollectAt) {
      const isCollected = await collectIntoSpool(options, send);
      if (isCollected) summary.collected += 1;
      else if (options.once) summary.exitCode = EXIT_FAILURE;
      hasBacklog = hasBacklog || isCollected;
      nextCollectAt += options.intervalMs;
      if (nextCollectAt <= Date.now()) nextCollectAt = Date.now() + options.intervalMs;
    }
    if (hasBacklog && Date.now() >= retryAt && !stopSignal.aborted) {
      // --once drains everything; the schedule lets the next collection interrupt a long replay.
      const deadline = options.once ? undefined : nextCollectAt;
      const result = await drainSpool({ spool, send: sendSpooled, log, stopSignal, deadline });
      summary.delivered += result.delivered;
      summary.rejected += result.rejected.length;
      if (result.rejected.length > 0 && options.once) summary.exitCode = EXIT_FAILURE;
      if (result.retry) {
        failedAttempts += 1;
        const waitMs = Math.min(backoff.capMs, Math.max(backoffDelayMs(failedAttempts, backoff), result.retry.retryAfterMs ?? 0));
        retryAt = Date.now() + waitMs;
        const waiting = (await spool.list()).length;
        log.warn(
          `could not send (${result.retry.reason}); ${waiting} snapshot(s) kept in ${spool.dir}` +
            (options.once || stopSignal.aborted ? '' : `, next try in ${(waitMs / 1000).toFixed(1)} s`),
        );
      } else {
        failedAttempts = 0;
        hasBacklog = !result.isComplete;
      }
    }
    if (options.once || stopSignal.aborted) break;
    const wakeAt = hasBacklog ? Math.min(nextCollectAt, retryAt) : nextCollectAt;
    options.beforeSleep?.();
    await sleep(wakeAt - Date.now(), stopSignal);
  }
  return summary;
}

/** Collects one snapshot and spools it before any send: a crash or SIGTERM from here on loses nothing. */
async function collectIntoSpool(options: RunLoopOptions, send: (body: string) => Promise<SendOutcome>): Promise<boolean> {
  let snapshot: Snapshot;
  try {
    snapshot = await options.collect();
  } catch (error) {
    options.log.error(`could not collect a snapshot: ${describeError(error)}`);
    return false;
  }
  const body = JSON.stringify(snapshot);
  try {
    await options.spool.add(snapshot, body);
    return true;
  } catch (error) {
    // A full or read-only disk must not cost the snapshot too: try it straight away instead.
    options.log.error(`could not spool ${snapshot.idempotencyKey} (${describeError(error)}); sending it directly`);
    const outcome = await send(body);
    if (outcome.kind === 'delivered') options.log.info(`sent ${snapshot.idempotencyKey}: HTTP ${outcome.status}`);
    else options.log.error(`lost ${snapshot.idempotencyKey}: ${describeOutcome(outcome)}`);
    return false;
  }
}

function describeOutcome(outcome: SendOutcome): string {
  return outcome.kind === 'retry' ? outcome.reason : `HTTP ${outcome.status} ${outcome.body}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function logEarlierDrops(spool: Spool, log: Logger): Promise<void> {
  const counts = await spool.dropCounts();
  if (counts.dropped + counts.rejectedDropped === 0) return;
  log.warn(`spool ${spool.dir} has dropped ${counts.dropped} unsent and ${counts.rejectedDropped} rejected ` + 'snapshot(s) so far to stay within its bounds');
}
