// Sends every new or updated alert to remote syslog and/or a webhook, through one bounded queue
// per destination (delivery-queue.ts): a forwarding failure is retried, counted in /metrics and
// never fails the ingest that raised the alert.
import { getProcessState, setProcessState } from '@/lib/process-state';
import type { AlertEvent } from '@/lib/realtime/events';
import { createDeliveryQueue, type DeliveryCounts, type DeliveryQueue, type DeliveryTuning } from './delivery-queue';
import { createSyslogSender, formatSyslogMessage, maxSyslogMessageBytes, parseSyslogTarget } from './syslog';
import { createWebhookPoster } from './webhook';

/** Webhook POSTs at once: enough to keep up with a slow receiver, few enough not to swamp it. */
export const WEBHOOK_CONCURRENCY = 4;
/** One at a time: one TCP stream keeps alerts in order, and a datagram takes microseconds. */
const SYSLOG_CONCURRENCY = 1;

export interface AlertForwarder {
  forward: (alerts: readonly AlertEvent[]) => void;
  /** Resolves once every forwarded alert was delivered or dropped. */
  whenIdle: () => Promise<void>;
  /** Takes no more alerts; delivers what is queued for a short grace, then gives the rest up. */
  close: () => Promise<void>;
  counts: () => DeliveryCounts[];
}

export interface ForwardingOptions {
  syslog?: string | undefined;
  webhookUrl?: string | undefined;
  /** Queue settings for both destinations (tests shorten the waits). */
  tuning?: Partial<DeliveryTuning> | undefined;
}

export function createAlertForwarder(options: ForwardingOptions): AlertForwarder | null {
  const queues: DeliveryQueue<AlertEvent>[] = [];
  if (options.syslog) {
    const target = parseSyslogTarget(options.syslog);
    const sender = createSyslogSender(target);
    const maxBytes = maxSyslogMessageBytes(target.protocol);
    const queue = createDeliveryQueue<AlertEvent>({
      ...options.tuning,
      concurrency: SYSLOG_CONCURRENCY,
      destination: 'syslog',
      deliver: (alert, signal) => sender.send(formatSyslogMessage(alert, timeOf(alert), undefined, maxBytes), signal),
    });
    queues.push(withCleanup(queue, () => sender.close()));
  }
  if (options.webhookUrl) {
    const concurrency = options.tuning?.concurrency ?? WEBHOOK_CONCURRENCY;
    const poster = createWebhookPoster(options.webhookUrl, concurrency);
    const queue = createDeliveryQueue<AlertEvent>({
      ...options.tuning,
      concurrency,
      destination: 'webhook',
      deliver: (alert, signal) => poster.post(alert, signal),
    });
    queues.push(withCleanup(queue, () => poster.close()));
  }
  if (queues.length === 0) return null;
  return {
    forward(alerts) {
      for (const alert of alerts) for (const queue of queues) queue.enqueue(alert);
    },
    whenIdle: async () => void (await Promise.all(queues.map((queue) => queue.whenIdle()))),
    close: async () => void (await Promise.all(queues.map((queue) => queue.close()))),
    counts: () => queues.map((queue) => queue.counts()),
  };
}

/** When the alert happened, not when a retry finally got it through. */
function timeOf(alert: AlertEvent): Date {
  const lastSeen = new Date(alert.lastSeenAt);
  return Number.isNaN(lastSeen.getTime()) ? new Date() : lastSeen;
}

function withCleanup<Item>(queue: DeliveryQueue<Item>, cleanup: () => void): DeliveryQueue<Item> {
  return {
    ...queue,
    async close() {
      await queue.close();
      cleanup();
    },
  };
}

/** The process's forwarder (lib/process-state.ts): alerts raised in route handlers are forwarded too. */
export function setAlertForwarder(forwarder: AlertForwarder | null): void {
  setProcessState('alertForwarder', forwarder);
}

export function forwardAlerts(alerts: readonly AlertEvent[]): void {
  if (alerts.length > 0) getProcessState('alertForwarder')?.forward(alerts);
}

/** Per destination, for /metrics; empty when nothing is forwarded. */
export function listForwardingCounts(): DeliveryCounts[] {
  return getProcessState('alertForwarder')?.counts() ?? [];
}
