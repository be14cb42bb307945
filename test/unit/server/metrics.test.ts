// /metrics: our counters under their names and labels, beside Node's process metrics, in one registry.
import { describe, expect, it } from 'vitest';
import { recordIngest, recordRejectedSnapshot, renderMetrics, setIngestsInFlight } from '@/lib/metrics';

describe('renderMetrics', () => {
  it('renders snapshots by outcome, ingest time, the gauges and the default process metrics', async () => {
    recordIngest(0.02, false);
    recordIngest(0.5, true);
    recordRejectedSnapshot(429);
    setIngestsInFlight(3);
    const text = await renderMetrics({ hosts: 7, openAlertsByLevel: [{ level: 9, count: 2 }], promiscuousInterfaces: 1 });

    expect(text).toMatch(/^sockscope_snapshots_total\{outcome="accepted"\} 1$/m);
    expect(text).toMatch(/^sockscope_snapshots_total\{outcome="replayed"\} 1$/m);
    expect(text).toMatch(/^sockscope_snapshots_total\{outcome="rejected",status="429"\} 1$/m);
    expect(text).toMatch(/^sockscope_ingest_seconds_bucket\{le="0.025"\} 1$/m);
    expect(text).toMatch(/^sockscope_ingest_seconds_count 2$/m);
    expect(text).toMatch(/^sockscope_ingests_in_flight 3$/m);
    expect(text).toMatch(/^sockscope_ingest_receiving_bytes 0$/m);
    expect(text).toMatch(/^sockscope_hosts 7$/m);
    expect(text).toMatch(/^sockscope_open_alerts\{level="9"\} 2$/m);
    expect(text).toMatch(/^sockscope_promiscuous_interfaces 1$/m);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_active_handles_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});
