// /metrics: one prom-client registry per process (lib/process-state.ts), with Node's default process
// metrics (CPU, memory, event-loop lag, GC, handles) and ours. Ingest counters are kept as things
// happen; fleet gauges are read from the database and alert forwarding from its queues at each scrape.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { dropReasons } from '@/lib/forwarding/delivery-queue';
import { listForwardingCounts } from '@/lib/forwarding/forward-alerts';
import { sharedProcessState } from '@/lib/process-state';

const ingestBucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface FleetGauges {
  hosts: number;
  openAlertsByLevel: { level: number; count: number }[];
  promiscuousInterfaces: number;
}

export type SockscopeMetrics = ReturnType<typeof createMetrics>;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const snapshots = new Counter({ name: 'sockscope_snapshots_total', help: 'Snapshots received, by outcome.', labelNames: ['outcome', 'status'], registers });
  // Both outcomes are there from the start, at 0; rejections appear per status as they happen.
  snapshots.inc({ outcome: 'accepted' }, 0);
  snapshots.inc({ outcome: 'replayed' }, 0);
  const metrics = {
    registry,
    snapshots,
    ingestSeconds: new Histogram({
      name: 'sockscope_ingest_seconds',
      help: 'Time to validate, store and analyse one snapshot.',
      buckets: ingestBucketBounds,
      registers,
    }),
    ingestsInFlight: new Gauge({
      name: 'sockscope_ingests_in_flight',
      help: 'Snapshots being ingested now (bounded by SOCKSCOPE_INGEST_CONCURRENCY).',
      registers,
    }),
    ingestReceivingBytes: new Gauge({
      name: 'sockscope_ingest_receiving_bytes',
      help: 'Bytes of snapshot bodies being received now (bounded by SOCKSCOPE_INGEST_RECEIVING_BYTES).',
      registers,
    }),
    hosts: new Gauge({ name: 'sockscope_hosts', help: 'Enrolled hosts.', registers }),
    openAlerts: new Gauge({ name: 'sockscope_open_alerts', help: 'Open alerts, by level.', labelNames: ['level'], registers }),
    promiscuousInterfaces: new Gauge({
      name: 'sockscope_promiscuous_interfaces',
      help: "Interfaces in promiscuous mode in the hosts' latest snapshots.",
      registers,
    }),
  };
  registerForwardingMetrics(registry);
  return metrics;
}

/** Per forwarding destination (syslog, webhook): what went into its queue and what became of it, as its queue counts it. */
function registerForwardingMetrics(registry: Registry): void {
  const registers = [registry];
  const fromQueues = (name: string, help: string, value: (counts: ReturnType<typeof listForwardingCounts>[number]) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['destination'],
      registers,
      collect() {
        this.reset();
        for (const row of listForwardingCounts()) this.inc({ destination: row.destination }, value(row));
      },
    });
  fromQueues('sockscope_alert_forwarding_queued_total', 'Alerts put in a forwarding queue.', (row) => row.queued);
  fromQueues('sockscope_alert_forwarding_delivered_total', 'Alerts the destination accepted.', (row) => row.delivered);
  fromQueues('sockscope_alert_forwarding_retries_total', 'Failed attempts tried again (network error, timeout, 5xx, 429).', (row) => row.retried);
  new Counter({
    name: 'sockscope_alert_forwarding_dropped_total',
    help: 'Alerts given up: queue full (oldest dropped), rejected (redirect, 4xx), gave_up (attempts spent), shutdown.',
    labelNames: ['destination', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const row of listForwardingCounts()) for (const reason of dropReasons) this.inc({ destination: row.destination, reason }, row.dropped[reason]);
    },
  });
  new Gauge({
    name: 'sockscope_alert_forwarding_pending',
    help: 'Alerts waiting in a forwarding queue or being delivered.',
    labelNames: ['destination'],
    registers,
    collect() {
      this.reset();
      for (const row of listForwardingCounts()) this.set({ destination: row.destination }, row.pending);
    },
  });
}

const metrics = () => sharedProcessState('metrics', createMetrics);

export function recordIngest(seconds: number, replayed: boolean): void {
  const { snapshots, ingestSeconds } = metrics();
  snapshots.inc({ outcome: replayed ? 'replayed' : 'accepted' });
  ingestSeconds.observe(seconds);
}

/** Set by the ingest limits (lib/ingest/ingest-limits.ts), read by /metrics in another module graph. */
export function setIngestsInFlight(count: number): void {
  metrics().ingestsInFlight.set(count);
}

export function setIngestReceivingBytes(bytes: number): void {
  metrics().ingestReceivingBytes.set(bytes);
}

export function recordRejectedSnapshot(status: number): void {
  metrics().snapshots.inc({ outcome: 'rejected', status: String(status) });
}

export const metricsContentType = Registry.PROMETHEUS_CONTENT_TYPE;

/** The Prometheus text of every metric, with the fleet gauges as of `gauges`. */
export async function renderMetrics(gauges: FleetGauges): Promise<string> {
  const current = metrics();
  current.hosts.set(gauges.hosts);
  current.openAlerts.reset();
  for (const row of gauges.openAlertsByLevel) current.openAlerts.set({ level: String(row.level) }, row.count);
  current.promiscuousInterfaces.set(gauges.promiscuousInterfaces);
  return current.registry.metrics();
}
