// After a snapshot is committed: tell every open dashboard, within the same request.
import { forwardAlerts } from '@/lib/forwarding/forward-alerts';
import { publishToHost } from '@/lib/realtime/publish';
import { isListening, type Snapshot } from '@/lib/schemas/snapshot';
import type { IngestResult } from './ingest-snapshot';

export function publishIngest(result: IngestResult, snapshot: Snapshot): void {
  if (result.replayed) return;
  publishToHost(result.hostName, 'snapshot', {
    host: result.hostName,
    id: result.id,
    collectedAt: snapshot.collectedAt,
    changed: result.changed as Record<string, boolean>,
    listenerCount: snapshot.sockets ? snapshot.sockets.filter(isListening).length : null,
    promiscuousCount: snapshot.interfaces ? snapshot.interfaces.filter((row) => row.promiscuous).length : null,
  });
  const analysis = result.analysis;
  if (!analysis) return;
  // A repeat of the previous snapshot has nothing to diff: with 95% of snapshots unchanged, an
  // empty diff event to every dashboard would double the fan-out for nothing.
  const hasChanges = Object.values(result.changed).some(Boolean);
  if (analysis.diffSummary && hasChanges) {
    publishToHost(result.hostName, 'diff', { host: result.hostName, snapshotId: result.id, summary: analysis.diffSummary });
  }
  for (const alert of analysis.alerts) publishToHost(result.hostName, 'alert', alert);
  forwardAlerts(analysis.alerts);
}
