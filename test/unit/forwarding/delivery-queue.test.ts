// The forwarding queue on its own, with a fake destination: bounded, counted, backing off, closing.
import { describe, expect, it } from 'vitest';
import { classifyWebhookAnswer } from '@/lib/forwarding/webhook';
import { DeliveryFailure } from '@/lib/forwarding/delivery-failure';
import { createDeliveryQueue, MAX_RETRY_AFTER_MS, type DeliveryTuning } from '@/lib/forwarding/delivery-queue';

/** A destination whose deliveries wait until the test lets them through. */
function gatedDestination() {
  const started: number[] = [];
  const delivered: number[] = [];
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => (open = resolve));
  return {
    started,
    delivered,
    deliver: async (item: number) => {
      started.push(item);
      await gate;
      delivered.push(item);
    },
    release() {
      open();
      gate = Promise.resolve();
    },
  };
}

const quiet: Partial<DeliveryTuning> = { log: () => {} };
const recordWaits =
  (asked: number[]): DeliveryTuning['wait'] =>
  async (milliseconds) =>
    void asked.push(milliseconds);

describe('a bounded queue', () => {
  it('drops the oldest waiting item when full, counts it, and delivers the rest', async () => {
    const destination = gatedDestination();
    const queue = createDeliveryQueue<number>({ ...quiet, destination: 'test', capacity: 3, concurrency: 1, deliver: destination.deliver });

    for (let item = 1; item <= 10; item += 1) queue.enqueue(item);
    expect(queue.counts()).toMatchObject({ queued: 10, pending: 4, dropped: { overflow: 6 } });
    destination.release();
    await queue.whenIdle();

    // 1 was already being delivered; 2–7 were pushed out by newer ones.
    expect(destination.delivered).toEqual([1, 8, 9, 10]);
    expect(queue.counts()).toEqual({
      destination: 'test',
      queued: 10,
      delivered: 4,
      retried: 0,
      dropped: { overflow: 6, rejected: 0, gave_up: 0, shutdown: 0 },
      pending: 0,
    });
  });

  it('delivers no more items at once than its concurrency', async () => {
    const destination = gatedDestination();
    const queue = createDeliveryQueue<number>({ ...quiet, destination: 'test', concurrency: 3, deliver: destination.deliver });
    for (let item = 1; item <= 50; item += 1) queue.enqueue(item);
    expect(destination.started).toEqual([1, 2, 3]);
    destination.release();
    await queue.whenIdle();
    expect(destination.delivered).toHaveLength(50);
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter, within the cap', async () => {
    const asked: number[] = [];
    let attempts = 0;
    const queue = createDeliveryQueue<number>({
      ...quiet,
      destination: 'test',
      maxAttempts: 7,
      backoff: { baseMs: 100, capMs: 1000 },
      random: () => 0.999,
      wait: recordWaits(asked),
      deliver: async () => {
        attempts += 1;
        if (attempts < 7) throw new Error('ECONNREFUSED');
      },
    });
    queue.enqueue(1);
    await queue.whenIdle();
    expect(asked).toEqual([99, 199, 399, 799, 999, 999]);
    expect(queue.counts()).toMatchObject({ delivered: 1, retried: 6 });
  });

  it('waits as long as Retry-After says, up to a bound', async () => {
    const asked: number[] = [];
    const answers = [classifyWebhookAnswer(429, '7'), classifyWebhookAnswer(503, '86400'), null];
    const queue = createDeliveryQueue<number>({
      ...quiet,
      destination: 'test',
      wait: recordWaits(asked),
      deliver: async () => {
        const answer = answers.shift();
        if (answer) throw answer;
      },
    });
    queue.enqueue(1);
    await queue.whenIdle();
    expect(asked).toEqual([7000, MAX_RETRY_AFTER_MS]);
  });

  it('never retries an answer that says no', async () => {
    let attempts = 0;
    const queue = createDeliveryQueue<number>({
      ...quiet,
      destination: 'test',
      deliver: async () => {
        attempts += 1;
        throw new DeliveryFailure('webhook answered 404', false);
      },
    });
    queue.enqueue(1);
    await queue.whenIdle();
    expect(attempts).toBe(1);
    expect(queue.counts().dropped.rejected).toBe(1);
  });
});

describe('webhook answers', () => {
  it('retries 5xx, 429 and 408; never a redirect or another 4xx', () => {
    const isRetried = (status: number) => classifyWebhookAnswer(status, null).isRetryable;
    expect([500, 502, 503, 504, 429, 408].map(isRetried)).toEqual([true, true, true, true, true, true]);
    expect([301, 302, 303, 307, 308, 400, 401, 403, 404, 410, 413].map(isRetried)).toEqual(Array(11).fill(false));
    expect(classifyWebhookAnswer(503, '30').retryAfterMs).toBe(30_000);
  });
});

describe('close', () => {
  it('delivers what is queued when the destination keeps up', async () => {
    const delivered: number[] = [];
    const queue = createDeliveryQueue<number>({ ...quiet, destination: 'test', deliver: async (item) => void delivered.push(item) });
    for (let item = 1; item <= 5; item += 1) queue.enqueue(item);
    await queue.close();
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
    queue.enqueue(6);
    expect(queue.counts()).toMatchObject({ delivered: 5, dropped: { shutdown: 1 } });
  });

  it('gives up after the grace period on a destination that does not answer, and counts what was lost', async () => {
    const queue = createDeliveryQueue<number>({
      ...quiet,
      destination: 'test',
      closeGraceMs: 50,
      // Answers only when aborted, like a request to a receiver that hangs.
      deliver: (_item, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
    });
    for (let item = 1; item <= 3; item += 1) queue.enqueue(item);
    await queue.close();
    expect(queue.counts()).toMatchObject({ delivered: 0, pending: 0, dropped: { shutdown: 3 } });
  });
});
