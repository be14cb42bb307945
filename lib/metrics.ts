// Process-wide counters for /metrics (Prometheus text format). Kept on globalThis: server.ts and
// the Next.js route bundles are separate module graphs in one process.
import { dropReasons } from '@/lib/forwarding/delivery-queue';
import { listForwardingCounts } from '@/lib/forwarding/forward-alerts';

interface Counters {
  snapshotsAccepted: number;
  snapshotsReplayed: number;
  snapshotsRejected: Record<string, number>;
  ingestSecondsSum: number;
  ingestSecondsBuckets: number[];
  ingestsInFlight: number;
  ingestReceivingBytes: number;
}

export const ingestBucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const globalForMetrics = globalThis as typeof globalThis & { __sockscopeMetrics?: Counters };

function counters(): Counters {
  globalForMetrics.__sockscopeMetrics ??= {
    snapshotsAccepted: 0,
    snapshotsReplayed: 0,
    snapshotsRejected: {},
    ingestSecondsSum: 0,
    ingestSecondsBuckets: ingestBucketBounds.map(() => 0),
    ingestsInFlight: 0,
    ingestReceivingBytes: 0,
  };
  return globalForMetrics.__sockscopeMetrics;
}

export function recordIngest(seconds: number, replayed: boolean): void {
  const metrics = counters();
  if (replayed) metrics.snapshotsReplayed += 1;
  else metrics.snapshotsAccepted += 1;
  metrics.ingestSecondsSum += seconds;
  ingestBucketBounds.forEach((bound, index) => {
    if (seconds <= bound) metrics.ingestSecondsBuckets[index] = (metrics.ingestSecondsBuckets[index] ?? 0) + 1;
  });
}

/** Set by the ingest limits (lib/ingest/ingest-limits.ts), read by /metrics in another module graph. */
export function setIngestsInFlight(count: number): void {
  counters().ingestsInFlight = count;
}

export function setIngestReceivingBytes(bytes: number): void {
  counters().ingestReceivingBytes = bytes;
}

export function recordRejectedSnapshot(status: number): void {
  const metrics = counters();
  metrics.snapshotsRejected[status] = (metrics.snapshotsRejected[status] ?? 0) + 1;
}

export interface FleetGauges {
  hosts: number;
  openAlertsByLevel: { level: number; count: number }[];
  promiscuousInterfaces: number;
}

export function renderMetrics(gauges: FleetGauges): string {
  const metrics = counters();
  const total = metrics.snapshotsAccepted + metrics.snapshotsReplayed;
  const lines = [
    '# HELP sockscope_snapshots_total Snapshots received, by outcome.',
    '# TYPE sockscope_snapshots_total counter',
    `sockscope_snapshots_total{outcome="accepted"} ${metrics.snapshotsAccepted}`,
    `sockscope_snapshots_total{outcome="replayed"} ${metrics.snapshotsReplayed}`,
    ...Object.entries(metrics.snapshotsRejected).map(([status, count]) => `sockscope_snapshots_total{outcome="rejected",status="${status}"} ${count}`),
    '# HELP sockscope_ingest_seconds Time to validate, store and analyse one snapshot.',
    '# TYPE sockscope_ingest_seconds histogram',
    ...ingestBucketBounds.map((bound, index) => `sockscope_ingest_seconds_bucket{le="${bound}"} ${metrics.ingestSecondsBuckets[index] ?? 0}`),
    `sockscope_ingest_seconds_bucket{le="+Inf"} ${total}`,
    `sockscope_ingest_seconds_sum ${metrics.ingestSecondsSum}`,
    `sockscope_ingest_seconds_count ${total}`,
    '# HELP sockscope_ingests_in_flight Snapshots being ingested now (bounded by SOCKSCOPE_INGEST_CONCURRENCY).',
    '# TYPE sockscope_ingests_in_flight gauge',
    `sockscope_ingests_in_flight ${metrics.ingestsInFlight}`,
    '# HELP sockscope_ingest_receiving_bytes Bytes of snapshot bodies being received now (bounded by SOCKSCOPE_INGEST_RECEIVING_BYTES).',
    '# TYPE sockscope_ingest_receiving_bytes gauge',
    `sockscope_ingest_receiving_bytes ${metrics.ingestReceivingBytes}`,
    '# HELP sockscope_hosts Enrolled hosts.',
    '# TYPE sockscope_hosts gauge',
    `sockscope_hosts ${gauges.hosts}`,
    '# HELP sockscope_open_alerts Open alerts, by level.',
    '# TYPE sockscope_open_alerts gauge',
    ...gauges.openAlertsByLevel.map((row) => `sockscope_open_alerts{level="${row.level}"} ${row.count}`),
    '# HELP sockscope_promiscuous_interfaces Interfaces in promiscuous mode in the hosts\' latest snapshots.',
    '# TYPE sockscope_promiscuous_interfaces gauge',
    `sockscope_promiscuous_interfaces ${gauges.promiscuousInterfaces}`,
    ...renderForwardingMetrics(),
  ];
  return `${lines.join('\n')}\n`;
}

/** Per forwarding destination (syslog, webhook): what went into its queue and what became of it. */
function renderForwardingMetrics(): string[] {
  const destinations = listForwardingCounts();
  const label = (destination: string) => `destination="${destination}"`;
  return [
    '# HELP sockscope_alert_forwarding_queued_total Alerts put in a forwarding queue.',
    '# TYPE sockscope_alert_forwarding_queued_total counter',
    ...destinations.map((row) => `sockscope_alert_forwarding_queued_total{${label(row.destination)}} ${row.queued}`),
    '# HELP sockscope_alert_forwarding_delivered_total Alerts the destination accepted.',
    '# TYPE sockscope_alert_forwarding_delivered_total counter',
    ...destinations.map((row) => `sockscope_alert_forwarding_delivered_total{${label(row.destination)}} ${row.delivered}`),
    '# HELP sockscope_alert_forwarding_retries_total Failed attempts tried again (network error, timeout, 5xx, 429).',
    '# TYPE sockscope_alert_forwarding_retries_total counter',
    ...destinations.map((row) => `sockscope_alert_forwarding_retries_total{${label(row.destination)}} ${row.retried}`),
    '# HELP sockscope_alert_forwarding_dropped_total Alerts given up: queue full (oldest dropped), rejected (redirect, 4xx), gave_up (attempts spent), shutdown.',
    '# TYPE sockscope_alert_forwarding_dropped_total counter',
    ...destinations.flatMap((row) => dropReasons.map((reason) => `sockscope_alert_forwarding_dropped_total{${label(row.destination)},reason="${reason}"} ${row.dropped[reason]}`)),
    '# HELP sockscope_alert_forwarding_pending Alerts waiting in a forwarding queue or being delivered.',
    '# TYPE sockscope_alert_forwarding_pending gauge',
    ...destinations.map((row) => `sockscope_alert_forwarding_pending{${label(row.destination)}} ${row.pending}`),
  ];
}
