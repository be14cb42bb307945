// Network namespaces without `ip netns` or setns(2): every process's /proc/PID/ns/net names its
// namespace by inode, and /proc/PID/net/* shows that namespace's tables to any reader.
import { readLink } from './read-files';

const NAMESPACE_LINK = /^net:\[(\d+)\]$/;

/** `net:[4026531992]` → 4026531992 (the number `lsns` prints); null for anything else. */
export function parseNamespaceLink(link: string): number | null {
  const match = NAMESPACE_LINK.exec(link);
  if (match?.[1] === undefined) return null;
  const inode = Number(match[1]);
  return Number.isSafeInteger(inode) && inode > 0 ? inode : null;
}

/** The network namespace of a process (`self` for the collector); null when it is gone or hidden from us. */
export function readNetworkNamespace(procRoot: string, pid: number | 'self'): number | null {
  const link = readLink(`${procRoot}/${pid}/ns/net`);
  return link === null ? null : parseNamespaceLink(link);
}

/**
 * The host's namespace is pid 1's. Some sandboxes (and hardened kernels) refuse to show pid 1's
 * links even to root; the collector's own namespace stands in then, which is the host's whenever
 * the collector runs on the host itself.
 */
export function readHostNetworkNamespace(procRoot: string, ownNamespace: number | null): number | null {
  return readNetworkNamespace(procRoot, 1) ?? ownNamespace;
}

/** Namespace → its member pids in ascending order; processes whose namespace is unknown belong to none. */
export function groupByNamespace(namespaceOfPid: ReadonlyMap<number, number | null>): Map<number, number[]> {
  const members = new Map<number, number[]>();
  for (const [pid, namespace] of namespaceOfPid) {
    if (namespace === null) continue;
    const list = members.get(namespace);
    if (list === undefined) members.set(namespace, [pid]);
    else list.push(pid);
  }
  for (const list of members.values()) list.sort((left, right) => left - right);
  return members;
}
