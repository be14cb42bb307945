// The contract names a row's network namespace (and container) only when it is not the host's own
// (lib/schemas/snapshot.ts): the host's rows read as they did before namespaces were collected,
// and keep their identity in diffs and alerts. The gatherer tags every row; this drops the host's tags.
import type { Snapshot } from '../lib/schemas/snapshot';

type Gathered = Pick<Snapshot, 'host' | 'sockets' | 'processes' | 'interfaces'>;

export function inHostTerms<Body extends Gathered>(gathered: Body): Body {
  const hostNetns = gathered.host.netns ?? null;
  for (const rows of [gathered.sockets, gathered.processes, gathered.interfaces]) {
    for (const row of rows ?? []) {
      if (row.netns === hostNetns || row.netns === null) delete row.netns;
      if (row.container === null) delete row.container;
    }
  }
  return gathered;
}
