// What a short timeline says: none at all, none with changes, or one snapshot with nothing to compare it to.
import { Code, EmptyState, NothingMatches } from '@/components/common/EmptyState';
import { buttonClass } from '@/components/common/styles';

/** When the next snapshot comes: the host's interval, and where it is set. */
function NextSnapshot({ intervalSeconds }: { intervalSeconds: number }) {
  return (
    <p>
      This host reports every {intervalSeconds} s (<Code>SOCKSCOPE_INTERVAL</Code> of its collector; <Code>SOCKSCOPE_LOCAL_INTERVAL</Code> for the built-in
      one).
    </p>
  );
}

export function NoSnapshots({ changedOnly, intervalSeconds, onShowAll }: { changedOnly: boolean; intervalSeconds: number; onShowAll: () => void }) {
  if (changedOnly) {
    return (
      <NothingMatches title="No snapshot with changes yet." actionLabel="Show every snapshot" onAction={onShowAll}>
        <p>Every snapshot so far found the host as the one before it. Each one is on the timeline all the same, and any two can be compared.</p>
      </NothingMatches>
    );
  }
  return (
    <EmptyState title="No snapshots yet: this host has not reported.">
      <NextSnapshot intervalSeconds={intervalSeconds} />
    </EmptyState>
  );
}

export function OneSnapshot({ changedOnly, intervalSeconds, onShowAll }: { changedOnly: boolean; intervalSeconds: number; onShowAll: () => void }) {
  return (
    <div className="border-t border-slate-800 p-4 light:border-slate-200">
      <EmptyState title="One snapshot so far: a comparison needs two.">
        <NextSnapshot intervalSeconds={intervalSeconds} />
        {changedOnly && (
          <>
            <p>With “Only snapshots with changes”, the next shows here once something changed on the host.</p>
            <button type="button" className={buttonClass} onClick={onShowAll}>
              Show every snapshot
            </button>
          </>
        )}
      </EmptyState>
    </div>
  );
}
