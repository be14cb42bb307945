// One queue per forwarding destination (webhook, syslog): bounded memory, a few deliveries at a
// time, retries with backoff. A burst of alerts or a slow receiver then costs neither unbounded
// memory nor lost alerts, and a receiver that is down is not hammered.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, type BackoffOptions } from '@/collector/backoff';
import { logger } from '@/lib/logger';
import { DeliveryFailure } from './delivery-failure';

/** Alerts waiting per destination; past it the oldest waiting one is dropped (and counted). */
const DEFAULT_QUEUE_CAPACITY = 10_000;
/** First try and retries together: with the backoff below, up to two minutes (one on average) before giving up on one alert. */
const DEFAULT_MAX_ATTEMPTS = 10;
const DEFAULT_RETRY_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };
/** One attempt (connect, send, answer) may take this long before it counts as failed and is retried. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 5_000;
/** A receiver asking for a longer Retry-After is retried after this; it must not park a delivery slot for hours. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** How long close() keeps delivering what is queued before giving the rest up. */
const DEFAULT_CLOSE_GRACE_MS = 3_000;

export const dropReasons = ['overflow', 'rejected', 'gave_up', 'shutdown'] as const;
type DropReason = (typeof dropReasons)[number];

export interface DeliveryCounts {
  destination: string;
  /** Items ever put in the queue. */
  queued: number;
  delivered: number;
  /** Failed attempts that were tried again. */
  retried: number;
  dropped: Record<DropReason, number>;
  /** Waiting or being delivered now. */
  pending: number;
}

export interface DeliveryTuning {
  capacity: number;
  concurrency: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  attemptTimeoutMs: number;
  closeGraceMs: number;
  /** Waits between attempts; tests pass one that records the delays instead of sleeping them. */
  wait: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  log: (line: string) => void;
}

export interface DeliveryQueueOptions<Item> extends Partial<DeliveryTuning> {
  /** Names the destination in metrics and logs (never its URL, which may carry a secret). */
  destination: string;
  /** One attempt; throws DeliveryFailure for an answer, anything else for a network error (retried). */
  deliver: (item: Item, signal: AbortSignal) => Promise<void>;
}

export interface DeliveryQueue<Item> {
  enqueue: (item: Item) => void;
  counts: () => DeliveryCounts;
  /** Resolves once nothing is waiting or being delivered. */
  whenIdle: () => Promise<void>;
  /** Takes nothing more, delivers for up to the grace period, then drops what is left (counted as shutdown). */
  close: () => Promise<void>;
}

const waitOrAbort = (milliseconds: number, signal: AbortSignal) => sleep(milliseconds, undefined, { signal });

export function createDeliveryQueue<Item>(options: DeliveryQueueOptions<Item>): DeliveryQueue<Item> {
  const tuning: DeliveryTuning = {
    capacity: options.capacity ?? DEFAULT_QUEUE_CAPACITY,
    concurrency: options.concurrency ?? 1,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: options.backoff ?? DEFAULT_RETRY_BACKOFF,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS,
    closeGraceMs: options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
    wait: options.wait ?? waitOrAbort,
    random: options.random ?? Math.random,
    log: options.log ?? ((line) => logger().warn(line)),
  };
  const { destination, deliver } = options;
  const waiting = new BoundedFifo<Item>(tuning.capacity);
  const counts: Omit<DeliveryCounts, 'pending'> = {
    destination,
    queued: 0,
    delivered: 0,
    retried: 0,
    dropped: { overflow: 0, rejected: 0, gave_up: 0, shutdown: 0 },
  };
  const shutdown = new AbortController();
  let inFlight = 0;
  let isClosed = false;
  let closing: Promise<void> | null = null;
  let idleWaiters: Array<() => void> = [];

  const pending = () => waiting.length + inFlight;

  function drop(reason: DropReason, detail: string, howMany = 1): void {
    if (howMany === 0) return;
    const before = counts.dropped[reason];
    counts.dropped[reason] += howMany;
    // Logged at the 1st, 10th, 100th … drop of each reason: a flood of failures is not a flood of log lines.
    if (crossesPowerOfTen(before, counts.dropped[reason])) {
      tuning.log(`alert forwarding to ${destination}: dropped ${counts.dropped[reason]} so far (${reason}): ${detail}`);
    }
  }

  function notifyIfIdle(): void {
    if (pending() > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function startDeliveries(): void {
    while (inFlight < tuning.concurrency && waiting.length > 0) {
      const item = waiting.shift() as Item;
      inFlight += 1;
      void deliverWithRetries(item).finally(() => {
        inFlight -= 1;
        startDeliveries();
        notifyIfIdle();
      });
    }
  }

  async function deliverWithRetries(item: Item): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await deliver(item, AbortSignal.any([shutdown.signal, AbortSignal.timeout(tuning.attemptTimeoutMs)]));
        counts.delivered += 1;
        return;
      } catch (error) {
        if (shutdown.signal.aborted) return drop('shutdown', 'closed while delivering');
        const failure = error instanceof DeliveryFailure ? error : null;
        if (failure && !failure.isRetryable) return drop('rejected', failure.message);
        if (attempt >= tuning.maxAttempts) return drop('gave_up', `${attempt} attempts, last: ${describeError(error)}`);
        counts.retried += 1;
        const retryAfterMs = failure?.retryAfterMs ?? null;
        const delay = retryAfterMs !== null ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) : backoffDelayMs(attempt, tuning.backoff, tuning.random);
        try {
          await tuning.wait(delay, shutdown.signal);
        } catch {
          return drop('shutdown', 'closed while waiting to retry');
        }
      }
    }
  }

  function whenIdle(): Promise<void> {
    if (pending() === 0) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  async function closeAfterGrace(): Promise<void> {
    const graceOver = new AbortController();
    await Promise.race([whenIdle(), sleep(tuning.closeGraceMs, undefined, { signal: graceOver.signal }).catch(() => {})]);
    graceOver.abort();
    drop('shutdown', 'closed with alerts still queued', waiting.clear());
    shutdown.abort();
    await whenIdle();
  }

  return {
    enqueue(item) {
      counts.queued += 1;
      if (isClosed) return drop('shutdown', 'queue closed');
      if (waiting.push(item)) drop('overflow', `more than ${tuning.capacity} alerts waiting; the oldest was dropped`);
      startDeliveries();
    },
    counts: () => ({ ...counts, dropped: { ...counts.dropped }, pending: pending() }),
    whenIdle,
    close() {
      isClosed = true;
      closing ??= closeAfterGrace();
      return closing;
    },
  };
}

function crossesPowerOfTen(before: number, after: number): boolean {
  for (let mark = 1; mark <= after; mark *= 10) if (mark > before) return true;
  return false;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

/** A first-in first-out ring of fixed capacity: adding to a full one evicts the oldest. */
class BoundedFifo<Item> {
  private readonly slots: Array<Item | undefined>;
  private head = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be at least 1, got ${capacity}`);
    this.slots = new Array<Item | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds at the back; true when the oldest item had to go to make room. */
  push(item: Item): boolean {
    const isFull = this.size === this.capacity;
    if (isFull) this.shift();
    this.slots[(this.head + this.size) % this.capacity] = item;
    this.size += 1;
    return isFull;
  }

  shift(): Item | undefined {
    if (this.size === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    return item;
  }

  /** Empties the queue; returns how many items it held. */
  clear(): number {
    const count = this.size;
    while (this.size > 0) this.shift();
    return count;
  }
}
