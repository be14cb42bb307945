// Placeholder replaced by the diff/alert analysis.
import type { Prisma } from '@/lib/generated/prisma/client';
import type { AuthenticatedHost } from '@/lib/hosts/host-tokens';
import type { Snapshot, SnapshotSection } from '@/lib/schemas/snapshot';
import type { SectionSetIds } from '@/lib/snapshots/read-snapshot';

export interface AnalysisContext {
  host: AuthenticatedHost;
  snapshot: Snapshot;
  snapshotId: bigint;
  previous: (SectionSetIds & { id: bigint }) | null;
  current: SectionSetIds;
  changedSections: SnapshotSection[];
}

export interface AnalysisResult {
  diffSummary: Record<string, unknown> | null;
  alerts: unknown[];
  openAlertCount: number;
}

export async function analyzeSnapshot(_tx: Prisma.TransactionClient, _context: AnalysisContext): Promise<AnalysisResult> {
  return { diffSummary: null, alerts: [], openAlertCount: 0 };
}
