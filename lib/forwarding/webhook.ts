// POSTs alerts to the configured webhook, one per request, and tells the queue what each answer
// means. node:http with a keep-alive agent capped at the queue's concurrency: fetch's shared pool
// opens a new connection whenever a freed one is not yet back in it (8 connections for 4 requests
// at a time, measured), and follows redirects unless told not to; node:http never follows one.
import http from 'node:http';
import https from 'node:https';
import { parseRetryAfter } from '@/collector/send';
import type { AlertEvent } from '@/lib/realtime/events';
import { DeliveryFailure } from './delivery-failure';

export interface WebhookPoster {
  post: (alert: AlertEvent, signal: AbortSignal) => Promise<void>;
  close: () => void;
}

/** At most `maxConnections` connections to the receiver, reused from one alert to the next. */
export function createWebhookPoster(url: string, maxConnections: number): WebhookPoster {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new Error(`SOCKSCOPE_WEBHOOK_URL must be an http:// or https:// URL, got ${target.protocol}`);
  const isHttps = target.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: maxConnections, maxTotalSockets: maxConnections };
  const agent = isHttps ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const request = isHttps ? https.request : http.request;
  return {
    post(alert, signal) {
      const body = JSON.stringify({ source: 'sockscope', alert });
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'sockscope-alerts' };
      return new Promise<void>((resolve, reject) => {
        const outgoing = request(target, { method: 'POST', agent, headers, signal }, (response) => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers['retry-after'] ?? null;
          // Read to the end (discarding it) so the connection goes back to the agent for the next alert.
          response.resume();
          response.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(classifyWebhookAnswer(status, retryAfter))));
          response.on('error', reject);
          // A connection cut mid-answer: not known to be delivered, so retried (a promise settles once).
          response.on('close', () => reject(new Error('webhook connection closed before the answer ended')));
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** 429, 408 and 5xx are worth another try (after Retry-After when given); a redirect or another 4xx never is. */
export function classifyWebhookAnswer(status: number, retryAfter: string | null): DeliveryFailure {
  if (status >= 300 && status < 400) return new DeliveryFailure(`webhook answered ${status} (a redirect, not followed)`, false);
  if (status === 429 || status === 408 || status >= 500) return new DeliveryFailure(`webhook answered ${status}`, true, parseRetryAfter(retryAfter));
  return new DeliveryFailure(`webhook answered ${status}`, false);
}
