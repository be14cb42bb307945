// The alert queue with nothing in it: what raises alerts, or how to see more than these filters.
import { Code, EmptyState, NothingMatches } from '@/components/common/EmptyState';

export function NoAlerts({ isFiltered, onClearFilters }: { isFiltered: boolean; onClearFilters: () => void }) {
  if (isFiltered) return <NothingMatches title="No alert matches these filters." actionLabel="Show every alert" onAction={onClearFilters} />;
  return (
    <EmptyState title="No alerts yet.">
      <p>
        An alert is raised when a snapshot shows something to look at: a new listener or one bound more widely, an interface in promiscuous mode, a program run
        from a writable place or deleted while it runs, a package installed, removed or changed, a traceroute target out of reach or slower, a host gone silent.
        A new host first learns its usual programs for <Code>SOCKSCOPE_LEARNING_HOURS</Code> (24 by default).
      </p>
      <p>
        They arrive here live; to have them elsewhere too, set <Code>SOCKSCOPE_SYSLOG</Code> or <Code>SOCKSCOPE_WEBHOOK_URL</Code> on the server.
      </p>
    </EmptyState>
  );
}
