// Sockets: a listener is (proto, bind address, port), a connection its full 5-tuple. A listener that
// re-binds the same port to a wider or narrower address is one changed row, not closed + opened.
import { isListening, type SocketRow } from '@/lib/schemas/snapshot';
import { getBindScope, normalizeAddress } from '@/lib/diff/addresses';
import { compareStrings, diffSection, listDifferences, type SectionRules } from '@/lib/diff/diff-section';
import type { ChangedRow, ChangedSocket, SectionDiff, SocketChange } from '@/lib/diff/types';

const socketRules: SectionRules<SocketRow, SocketChange> = {
  keyOf: socketKeyOf,
  fields: [
    { name: 'localAddress', comparable: (row) => normalizeAddress(row.localAddress) },
    // A listener's state is implied (LISTEN, or UNCONN / nothing for UDP, depending on the tool).
    { name: 'state', comparable: (row) => (isListening(row) ? null : row.state) },
    { name: 'pid', comparable: (row) => row.pid },
    { name: 'process', comparable: (row) => row.process },
    { name: 'user', comparable: (row) => row.user },
    { name: 'uid', comparable: (row) => row.uid },
  ],
};

/**
 * tcp and tcp6 stay distinct: BSD prints `tcp *.22` and `tcp6 *.22` for two different sockets.
 * NUL cannot occur in snapshot text (the schema refuses it), so it separates key parts safely.
 */
export function socketKeyOf(row: SocketRow): string {
  // Another network namespace (a container's) is another host as far as ports go.
  const local = `${namespaceOf(row)}${row.proto}\u0000${normalizeAddress(row.localAddress)}\u0000${row.localPort}`;
  if (isListening(row)) return `listen\u0000${local}`;
  return `connection\u0000${local}\u0000${normalizeAddress(row.remoteAddress)}\u0000${row.remotePort}`;
}

export function diffSockets(before: readonly SocketRow[] | undefined, after: readonly SocketRow[] | undefined): SectionDiff<SocketRow, ChangedSocket> {
  const diff = diffSection(before, after, socketRules);
  return pairRebinds(diff);
}

/**
 * A closed and an opened listener with the same proto and port but a different bind scope are one
 * listener re-bound. Same-scope moves (10.0.0.5 → 192.168.1.5) stay closed + opened: a new network
 * is exposed. Widening pairs are made first, so 127.0.0.1 → 0.0.0.0 is never mistaken for noise.
 */
function pairRebinds(diff: SectionDiff<SocketRow, ChangedRow<SocketRow, SocketChange>>): SectionDiff<SocketRow, ChangedSocket> {
  const changed: ChangedSocket[] = diff.changed.map((row) => ({ ...row, widened: false }));
  const rebound = new Set<SocketRow>();
  const removedByPort = groupListenersByProtoAndPort(diff.removed);
  const addedByPort = groupListenersByProtoAndPort(diff.added);
  for (const [protoAndPort, addedListeners] of addedByPort) {
    const removedListeners = removedByPort.get(protoAndPort);
    if (!removedListeners) continue;
    for (const pair of pairByScope(removedListeners, addedListeners)) {
      rebound.add(pair.before).add(pair.after);
      changed.push(pair);
    }
  }
  if (rebound.size === 0) return { ...diff, changed };
  changed.sort((a, b) => compareStrings(socketKeyOf(a.before), socketKeyOf(b.before)));
  return {
    collected: diff.collected,
    added: diff.added.filter((row) => !rebound.has(row)),
    removed: diff.removed.filter((row) => !rebound.has(row)),
    changed,
  };
}

/** '' for the host's own network namespace (rows carry `netns` only for another one). */
export const namespaceOf = (row: { netns?: number | null | undefined }) => (row.netns === undefined || row.netns === null ? '' : `netns:${row.netns}\u0000`);

function groupListenersByProtoAndPort(rows: readonly SocketRow[]): Map<string, SocketRow[]> {
  const groups = new Map<string, SocketRow[]>();
  for (const row of rows) {
    if (!isListening(row)) continue;
    const key = `${namespaceOf(row)}${row.proto}:${row.localPort}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function pairByScope(removed: SocketRow[], added: SocketRow[]): ChangedSocket[] {
  // Stable sorts of lists already in canonical order keep the pairing independent of input order.
  const narrowestFirst = [...removed].sort((a, b) => getBindScope(a.localAddress) - getBindScope(b.localAddress));
  const widestFirst = [...added].sort((a, b) => getBindScope(b.localAddress) - getBindScope(a.localAddress));
  const pairs: ChangedSocket[] = [];
  for (const after of widestFirst) {
    const afterScope = getBindScope(after.localAddress);
    const index = narrowestFirst.findIndex((row) => getBindScope(row.localAddress) !== afterScope);
    const before = index >= 0 ? narrowestFirst[index] : undefined;
    if (before === undefined) continue;
    narrowestFirst.splice(index, 1);
    pairs.push({
      before,
      after,
      changes: listDifferences(before, after, socketRules.fields),
      widened: afterScope > getBindScope(before.localAddress),
    });
  }
  return pairs;
}
