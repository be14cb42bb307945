// After a snapshot is committed: tell every open dashboard, within the same request.
import { forwardAlerts } from '@/lib/forwarding/forward-alerts';
import { publishToHost } from '@/lib/realtime/publish';
import type { IngestResult } from './ingest-snapshot';

export function publishIngest(result: IngestResult): void {
  if (result.replayed) return;
  publishToHost(result.hostName, 'snapshot', {
    host: result.hostName,
    id: result.id,
    collectedAt: result.collectedAt,
    changed: result.changed,
    listenerCount: result.listenerCount,
    promiscuousCount: result.promiscuousCount,
  });
  const analysis = result.analysis;
  if (!analysis) return;
  // A snapshot that changed nothing has nothing to diff: an empty diff event to every dashboard
  // would double the fan-out for nothing.
  const hasChanges = Object.values(result.changed).some(Boolean);
  if (analysis.diffSummary && hasChanges) {
    publishToHost(result.hostName, 'diff', { host: result.hostName, snapshotId: result.id, summary: analysis.diffSummary });
  }
  for (const alert of analysis.alerts) publishToHost(result.hostName, 'alert', alert);
  forwardAlerts(analysis.alerts);
}
