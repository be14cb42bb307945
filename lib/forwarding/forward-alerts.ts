// Sends every new or updated alert to remote syslog and/or a webhook, best effort: a forwarding
// failure is logged and never fails the ingest that raised the alert.
import type { AlertEvent } from '@/lib/realtime/events';
import { createSyslogSender, formatSyslogMessage, parseSyslogTarget, type SyslogSender } from './syslog';

export interface AlertForwarder {
  forward(alerts: readonly AlertEvent[]): void;
  close(): void;
}

export interface ForwardingOptions {
  syslog?: string | undefined;
  webhookUrl?: string | undefined;
}

export function createAlertForwarder(options: ForwardingOptions): AlertForwarder | null {
  const syslog: SyslogSender | null = options.syslog ? createSyslogSender(parseSyslogTarget(options.syslog)) : null;
  const webhookUrl = options.webhookUrl;
  if (!syslog && !webhookUrl) return null;
  const report = (where: string) => (error: unknown) => console.error(`[sockscope] alert forwarding to ${where} failed: ${(error as Error).message}`);
  return {
    forward(alerts) {
      for (const alert of alerts) {
        syslog?.send(formatSyslogMessage(alert)).catch(report('syslog'));
        if (webhookUrl) postWebhook(webhookUrl, alert).catch(report('webhook'));
      }
    },
    close: () => syslog?.close(),
  };
}

async function postWebhook(url: string, alert: AlertEvent): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'sockscope-alerts' },
    body: JSON.stringify({ source: 'sockscope', alert }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}

const globalForForwarding = globalThis as typeof globalThis & { __sockscopeAlertForwarder?: AlertForwarder | null };

export function setAlertForwarder(forwarder: AlertForwarder | null): void {
  globalForForwarding.__sockscopeAlertForwarder = forwarder;
}

export function forwardAlerts(alerts: readonly AlertEvent[]): void {
  if (alerts.length > 0) globalForForwarding.__sockscopeAlertForwarder?.forward(alerts);
}
