// Interface flags of another network namespace without setns(2) or netlink. /sys/class/net shows
// the namespace sysfs was mounted in, so our own /sys shows only ours; but a container (docker,
// podman, Kubernetes, LXC) and every `ip netns exec` mount a sysfs of their own namespace, and we
// can read it through /proc/PID/root/sys. Whether a given one really is of that namespace is checked
// against the namespace's own /proc/PID/net files before a single flag is believed.
import type { ForeignSysfs } from './interfaces';
import { listDirectory, readKernelText, readUntrustedAttribute } from './read-files';

/** Members of a namespace tried for a sysfs of its own: members in one container share one mount. */
const MAX_SYSFS_CANDIDATES = 8;

/** /proc/net/dev: two header lines, then `  eth0: 1234 …` per interface. */
export function parseNetDevNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (name !== '') names.push(name);
  }
  return names;
}

/** Interface index by name from /proc/net/if_inet6 (`address IFINDEX prefix scope flags name`, hex). */
export function parseIfInet6Indexes(text: string): Map<string, number> {
  const indexes = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [, hexIndex, , , , name] = line.trim().split(/\s+/);
    if (hexIndex === undefined || name === undefined || !/^[0-9a-fA-F]+$/.test(hexIndex)) continue;
    indexes.set(name, Number.parseInt(hexIndex, 16));
  }
  return indexes;
}

/** Interface index by name from /proc/net/igmp (`Idx\tDevice    : Count …`, decimal; group lines start with a tab). */
export function parseIgmpIndexes(text: string): Map<string, number> {
  const indexes = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const match = /^(\d+)\s+(\S+)\s*:/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) indexes.set(match[2], Number(match[1]));
  }
  return indexes;
}

function readIfindex(sysRoot: string, name: string): number | null {
  const text = readUntrustedAttribute(`${sysRoot}/class/net/${name}/ifindex`)?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * True when `sysRoot` is a sysfs (not a directory a container's owner filled in) listing exactly the
 * interfaces the namespace's net/dev lists, with the interface indexes its if_inet6 and igmp give.
 * The host's sysfs seen from a process that shares the host's mount namespace (`unshare -n`) fails
 * this: it lists the host's interfaces.
 */
export function isSysfsOfNamespace(sysRoot: string, netDirectory: string, foreign: ForeignSysfs): boolean {
  if (!foreign.isSysfs(`${sysRoot}/class/net`)) return false;
  const netDevText = readKernelText(`${netDirectory}/dev`, 'latin1');
  if (netDevText === null) return false;
  const expectedNames = new Set(parseNetDevNames(netDevText));
  const sysfsIndexes = new Map<string, number>();
  for (const entry of listDirectory(`${sysRoot}/class/net`) ?? []) {
    const ifindex = readIfindex(sysRoot, entry);
    // Entries without an ifindex are not devices (bonding_masters).
    if (ifindex !== null) sysfsIndexes.set(entry, ifindex);
  }
  if (sysfsIndexes.size !== expectedNames.size || ![...expectedNames].every((name) => sysfsIndexes.has(name))) return false;
  const knownIndexes = [
    ...parseIfInet6Indexes(readKernelText(`${netDirectory}/if_inet6`, 'latin1') ?? ''),
    ...parseIgmpIndexes(readKernelText(`${netDirectory}/igmp`, 'latin1') ?? ''),
  ];
  return knownIndexes.every(([name, ifindex]) => sysfsIndexes.get(name) === ifindex);
}

/** A sysfs of the namespace, seen through the root of one of its members; null when none of them has one. */
export function findNamespaceSysfs(procRoot: string, members: readonly number[], netDirectory: string, foreign: ForeignSysfs): string | null {
  for (const pid of members.slice(0, MAX_SYSFS_CANDIDATES)) {
    // A root on FUSE (rootless podman's fuse-overlayfs) answers path lookups through a user's daemon.
    if (!foreign.isRootWalkable(pid)) continue;
    const sysRoot = `${procRoot}/${pid}/root/sys`;
    if (isSysfsOfNamespace(sysRoot, netDirectory, foreign)) return sysRoot;
  }
  return null;
}
