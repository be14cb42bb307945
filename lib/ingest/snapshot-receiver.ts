// The one way a snapshot gets in, for the HTTP endpoint (server/ingest-endpoint.ts) and the built-in
// collector alike: within the ingest limits, through the ingest runner (a worker thread or inline),
// counted in /metrics, and published to dashboards and alert forwarding once stored.
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import { recordIngest } from '@/lib/metrics';
import type { IngestLimits } from './ingest-limits';
import type { IngestResult } from './ingest-snapshot';
import type { IngestRunner } from './ingest-runner';
import { publishIngest } from './publish-ingest';

export class SnapshotReceiver {
  constructor(
    private readonly runner: IngestRunner,
    readonly limits: IngestLimits,
  ) {}

  /** Stores a received body of a host already admitted (IngestLimits.admitHost). */
  async ingest(host: AuthenticatedHost, body: Uint8Array | string): Promise<IngestResult> {
    const release = this.limits.startIngest();
    try {
      const started = performance.now();
      const result = await this.runner.ingest(host, body);
      recordIngest((performance.now() - started) / 1000, result.replayed);
      publishIngest(result);
      return result;
    } finally {
      release();
    }
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
