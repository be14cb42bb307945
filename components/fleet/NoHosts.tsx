// The fleet page with no host: how hosts come (the built-in collector, enrolling another host),
// or how to see more than these filters.
import { Code, Command, EmptyState, NothingMatches } from '@/components/common/EmptyState';

export function NoHosts({ isFiltered, onClearFilters }: { isFiltered: boolean; onClearFilters: () => void }) {
  if (isFiltered) return <NothingMatches title="No host matches these filters." actionLabel="Show every host" onAction={onClearFilters} />;
  return (
    <EmptyState title="No hosts yet.">
      <p>
        The server reports the machine it runs on through its built-in collector, unless it was started with <Code>SOCKSCOPE_LOCAL_COLLECTOR=0</Code>: its first
        snapshot comes within <Code>SOCKSCOPE_LOCAL_INTERVAL</Code> seconds (10 by default).
      </p>
      <p>To add another host, enroll it here (this prints its token, once), build the collector and run it on the host:</p>
      <Command>
        {`npm run admin -- enroll NAME
npm run build:collector    # writes dist/collector.mjs
SOCKSCOPE_SERVER=<this dashboard's URL> SOCKSCOPE_TOKEN=<the token> node collector.mjs run`}
      </Command>
      <p>
        A systemd unit, a cron line and every setting are in <Code>docs/collector.md</Code>. The host shows up here live with its first snapshot.
      </p>
    </EmptyState>
  );
}
