// Webhook forwarding through a bounded queue, against a real receiver on loopback: a slow receiver
// that fails some requests loses nothing, is never sent more than a few requests at once, and a
// redirect is never followed.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertForwarder, setAlertForwarder, WEBHOOK_CONCURRENCY, type AlertForwarder } from '@/lib/forwarding/forward-alerts';
import type { DeliveryTuning } from '@/lib/forwarding/delivery-queue';
import { renderMetrics } from '@/lib/metrics';
import type { AlertEvent } from '@/lib/realtime/events';
import { startWebhookReceiver, type Answer, type RequestSeen, type WebhookReceiver } from './webhook-receiver';

function makeAlert(id: number): AlertEvent {
  return {
    id,
    host: 'web-01',
    kind: 'listener.opened',
    level: 10,
    message: `web-01: new listener tcp 0.0.0.0:${8000 + id} (web, pid 900, user root)`,
    state: 'open',
    occurrences: 1,
    subject: { proto: 'tcp', localAddress: '0.0.0.0', localPort: 8000 + id },
    firstSeenAt: '2026-11-21T10:00:00.000Z',
    lastSeenAt: '2026-11-21T10:00:00.000Z',
    snapshotId: '42',
  };
}

/** Waits as asked but at most a few ms (tests do not sleep out real backoffs); records what was asked. */
function recordingWait(asked: number[]): DeliveryTuning['wait'] {
  return async (milliseconds, signal) => {
    asked.push(milliseconds);
    await sleep(Math.min(milliseconds, 3), undefined, { signal });
  };
}

const receivers: WebhookReceiver[] = [];
const forwarders: AlertForwarder[] = [];
afterEach(async () => {
  setAlertForwarder(null);
  await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.close()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(plan?: (request: RequestSeen) => Answer): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(plan);
  receivers.push(started);
  return started;
}

function forwarder(webhookUrl: string, tuning: Partial<DeliveryTuning> = {}): AlertForwarder {
  const created = createAlertForwarder({ webhookUrl, tuning: { backoff: { baseMs: 10, capMs: 100 }, log: () => {}, ...tuning } });
  if (!created) throw new Error('no forwarder');
  forwarders.push(created);
  return created;
}

describe('5,000 alerts to a slow webhook that fails some requests', () => {
  /**
   * Every request answers after 1–4 ms (every 250th after 150 ms). First attempts fail for one
   * alert in ten (503), one in fifty (connection cut) and one in five hundred (429, Retry-After: 1);
   * one in a hundred fails its second attempt too (500).
   */
  const slowAndFlaky = (request: RequestSeen): Answer => {
    const delayMs = request.sequence % 250 === 0 ? 150 : (request.sequence % 4) + 1;
    const id = request.alertId ?? 0;
    if (request.attempt === 1 && id % 500 === 7) return { kind: 'status', status: 429, headers: { 'retry-after': '1' }, delayMs };
    if (request.attempt === 1 && id % 50 === 11) return { kind: 'reset', delayMs };
    if (request.attempt === 1 && id % 10 === 3) return { kind: 'status', status: 503, delayMs };
    if (request.attempt === 2 && id % 100 === 3) return { kind: 'status', status: 500, delayMs };
    return { kind: 'accept', delayMs };
  };

  it('receives every alert exactly once, never more than the concurrency limit at once', { timeout: 120_000 }, async () => {
    const webhook = await receiver(slowAndFlaky);
    const askedWaits: number[] = [];
    const alerts = Array.from({ length: 5000 }, (_, index) => makeAlert(index + 1));
    const forwarding = forwarder(webhook.url, { wait: recordingWait(askedWaits) });

    forwarding.forward(alerts);
    await forwarding.whenIdle();

    expect(webhook.accepted.size).toBe(5000);
    expect([...webhook.accepted.values()].every((times) => times === 1)).toBe(true);
    expect(webhook.maxRequestsAtOnce).toBeLessThanOrEqual(WEBHOOK_CONCURRENCY);
    expect(webhook.maxConnectionsAtOnce).toBeLessThanOrEqual(WEBHOOK_CONCURRENCY);
    const failedRequests = webhook.requests.length - 5000;
    expect(failedRequests).toBe(500 + 100 + 10 + 50);
    const [counts] = forwarding.counts();
    expect(counts).toEqual({
      destination: 'webhook',
      queued: 5000,
      delivered: 5000,
      retried: failedRequests,
      dropped: { overflow: 0, rejected: 0, gave_up: 0, shutdown: 0 },
      pending: 0,
    });
    // Retry-After: 1 was honoured as asked; every other retry waited a backoff within its cap.
    expect(askedWaits.filter((wait) => wait === 1000)).toHaveLength(10);
    expect(askedWaits.filter((wait) => wait !== 1000).every((wait) => wait >= 0 && wait <= 100)).toBe(true);
  });
});

describe('webhook answers', () => {
  it('does not follow a redirect: a 307 is a failed delivery, not re-posted elsewhere and not retried', async () => {
    const elsewhere = await receiver();
    const redirecting = await receiver(() => ({ kind: 'status', status: 307, headers: { location: elsewhere.url } }));
    const forwarding = forwarder(redirecting.url);
    setAlertForwarder(forwarding);

    forwarding.forward([makeAlert(1)]);
    await forwarding.whenIdle();

    expect(elsewhere.requests).toEqual([]);
    expect(redirecting.requests).toHaveLength(1);
    expect(forwarding.counts()[0]).toMatchObject({ delivered: 0, retried: 0, dropped: { rejected: 1 } });
    const metrics = await renderMetrics({ hosts: 0, openAlertsByLevel: [], promiscuousInterfaces: 0 });
    expect(metrics).toContain('sockscope_alert_forwarding_queued_total{destination="webhook"} 1\n');
    expect(metrics).toContain('sockscope_alert_forwarding_dropped_total{destination="webhook",reason="rejected"} 1\n');
    expect(metrics).toContain('sockscope_alert_forwarding_delivered_total{destination="webhook"} 0\n');
  });

  it('does not retry another 4xx', async () => {
    const refusing = await receiver(() => ({ kind: 'status', status: 400 }));
    const forwarding = forwarder(refusing.url);
    forwarding.forward([makeAlert(1)]);
    await forwarding.whenIdle();
    expect(refusing.requests).toHaveLength(1);
    expect(forwarding.counts()[0]).toMatchObject({ retried: 0, dropped: { rejected: 1 } });
  });

  it('retries a request that timed out', async () => {
    const hangingOnce = await receiver((request) => (request.attempt === 1 ? { kind: 'hang' } : { kind: 'accept' }));
    const forwarding = forwarder(hangingOnce.url, { attemptTimeoutMs: 200 });
    forwarding.forward([makeAlert(1)]);
    await forwarding.whenIdle();
    expect(hangingOnce.accepted.get(1)).toBe(1);
    expect(forwarding.counts()[0]).toMatchObject({ delivered: 1, retried: 1 });
  });

  it('gives up on an alert after the attempts allowed, and counts it', async () => {
    const failing = await receiver(() => ({ kind: 'status', status: 502 }));
    const forwarding = forwarder(failing.url, { maxAttempts: 3 });
    forwarding.forward([makeAlert(1)]);
    await forwarding.whenIdle();
    expect(failing.requests).toHaveLength(3);
    expect(forwarding.counts()[0]).toMatchObject({ delivered: 0, retried: 2, dropped: { gave_up: 1 } });
  });
});
