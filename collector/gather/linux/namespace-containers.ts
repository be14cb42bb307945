// Which container a network namespace belongs to, told by the containers of the processes in it.
import type { Container } from '../../../lib/schemas/snapshot';
import { containerKey, type ContainerDetails } from './container-catalog';

/**
 * The container whose processes share the namespace, or, when they are several containers of one
 * Kubernetes pod, the pod: its sandbox container's id (the sandbox holds the pod's namespaces; when
 * no member is known to be it, the lowest id), no container name, and the pod's namespace and name.
 * Members outside any container (a shell someone nsenter'ed) do not count. null when no member is
 * in a container, or members of different containers or pods share it: then no single one owns it.
 */
export function containerOfNamespace(members: readonly ContainerDetails[]): Container | null {
  const distinct = new Map<string, ContainerDetails>();
  for (const member of members) distinct.set(containerKey(member.tag), member);
  const containers = [...distinct.values()].sort((left, right) => (left.tag.id < right.tag.id ? -1 : left.tag.id > right.tag.id ? 1 : 0));
  const [first] = containers;
  if (first === undefined) return null;
  if (containers.length === 1) return first.tag;
  const podUid = first.podUid;
  if (podUid === null || containers.some((container) => container.podUid !== podUid)) return null;
  const chosen = containers.find((container) => container.isPodSandbox) ?? first;
  const firstKnown = (field: 'podNamespace' | 'podName') =>
    chosen.tag[field] ?? containers.map((container) => container.tag[field]).find((value) => value !== undefined && value !== null) ?? null;
  return {
    runtime: chosen.tag.runtime,
    id: chosen.tag.id,
    name: null,
    podNamespace: firstKnown('podNamespace'),
    podName: firstKnown('podName'),
  };
}
