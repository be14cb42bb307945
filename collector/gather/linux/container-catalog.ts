// Names for the containers that cgroup paths point at, from the runtimes' own state files: docker's
// config.v2.json, the OCI config.json that containerd and CRI-O keep per container (with the CRI's
// Kubernetes annotations), podman's containers.json, and the kubelet's /var/log/pods directories.
// No runtime socket is ever asked: a compromised daemon could answer anything.
import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Container } from '../../../lib/schemas/snapshot';
import type { CgroupContainer } from './cgroup-containers';
import { isExpectedReadError } from './read-files';

/** A container as rows carry it, with what the namespace-level choice needs besides. */
export interface ContainerDetails {
  tag: Container;
  /** Kubernetes pod UID; containers of one pod share one network namespace. */
  podUid: string | null;
  /** The pod's sandbox ("pause") container, which holds the pod's namespaces. */
  isPodSandbox: boolean;
}

export interface ContainerLookupOptions {
  /** Where var/lib/docker, run/containerd, var/lib/containers and var/log/pods are found: `/` on a live host. */
  runtimeRoot: string;
  /** Home directory of a uid, where rootless docker and podman keep their files. */
  homeOfUid: (uid: number) => string | null;
}

/** Runtime state files past this size are not parsed: a config.json is a few kilobytes. */
const MAX_STATE_FILE_BYTES = 4 * 1024 * 1024;
const STATE_FILE_OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
/** Parsed state files kept between snapshots (re-read only when their mtime or size changes). */
const MAX_CACHED_STATE_FILES = 2048;
const MAX_NAME_LENGTH = 253;
const MAX_ID_LENGTH = 128;

/** Where each runtime keeps its state: under the host's root, or (rootless) under a user's home. */
const runtimePaths = {
  containerdTasks: 'run/containerd/io.containerd.runtime.v2.task',
  containersStorage: 'var/lib/containers/storage',
  containersRunStorage: 'run/containers/storage',
  dockerContainers: 'var/lib/docker/containers',
  kubeletPodLogs: 'var/log/pods',
  rootlessDockerContainers: '.local/share/docker/containers',
  rootlessContainersStorage: '.local/share/containers/storage',
} as const;

/** What one runtime file says about a container. */
interface StateFileFacts {
  name: string | null;
  podName: string | null;
  podNamespace: string | null;
  podUid: string | null;
  isPodSandbox: boolean;
}

/** Attacker-chosen text (anyone who may start a container names it): no NUL, bounded, empty is unknown. */
function cleanText(value: unknown, maxLength: number = MAX_NAME_LENGTH): string | null {
  if (typeof value !== 'string') return null;
  const cleaned = value.replaceAll('\u0000', '').slice(0, maxLength);
  return cleaned === '' ? null : cleaned;
}

function stringRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** docker's config.v2.json: `"Name": "/web"`, and under Kubernetes (dockershim, cri-dockerd) the kubelet's labels. */
function factsFromDockerConfig(config: unknown): StateFileFacts {
  const record = stringRecord(config);
  const labels = stringRecord(stringRecord(record.Config).Labels);
  const dockerName = cleanText(record.Name);
  return {
    name: cleanText(labels['io.kubernetes.container.name']) ?? (dockerName?.replace(/^\//, '') || null),
    podName: cleanText(labels['io.kubernetes.pod.name']),
    podNamespace: cleanText(labels['io.kubernetes.pod.namespace']),
    podUid: cleanText(labels['io.kubernetes.pod.uid']),
    isPodSandbox: labels['io.kubernetes.docker.type'] === 'podsandbox',
  };
}

/** An OCI config.json's annotations: containerd's CRI writes `io.kubernetes.cri.*`, CRI-O `io.kubernetes.{pod,container}.*`. */
export function factsFromOciConfig(config: unknown): StateFileFacts {
  const annotations = stringRecord(stringRecord(config).annotations);
  const first = (...keys: string[]) => keys.map((key) => cleanText(annotations[key])).find((value) => value !== null) ?? null;
  const containerType = first('io.kubernetes.cri.container-type', 'io.kubernetes.cri-o.ContainerType');
  return {
    name: first('io.kubernetes.cri.container-name', 'io.kubernetes.container.name', 'nerdctl/name'),
    podName: first('io.kubernetes.cri.sandbox-name', 'io.kubernetes.pod.name'),
    podNamespace: first('io.kubernetes.cri.sandbox-namespace', 'io.kubernetes.pod.namespace'),
    podUid: first('io.kubernetes.cri.sandbox-uid', 'io.kubernetes.pod.uid'),
    isPodSandbox: containerType === 'sandbox',
  };
}

/** containers/storage's containers.json (podman, CRI-O): `[{ "id": …, "names": ["web"] }]` → id to first name. */
export function parseStorageContainerNames(list: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(list)) return names;
  for (const entry of list) {
    const record = stringRecord(entry);
    const id = record.id;
    const name = Array.isArray(record.names) ? cleanText(record.names[0]) : null;
    if (typeof id === 'string' && name !== null) names.set(id, name);
  }
  return names;
}

/** /var/log/pods/NAMESPACE_POD_UID (Kubernetes names hold no underscores, so the split is exact). */
export function parsePodLogDirectory(entry: string): { podNamespace: string; podName: string; podUid: string } | null {
  const match = /^([^_]+)_([^_]+)_([0-9a-f-]{36})$/.exec(entry);
  if (match === null) return null;
  const [, podNamespace, podName, podUid] = match;
  if (podNamespace === undefined || podName === undefined || podUid === undefined) return null;
  return { podNamespace, podName, podUid };
}

const NO_FACTS: StateFileFacts = { name: null, podName: null, podNamespace: null, podUid: null, isPodSandbox: false };

/** What was taken from one state file (never the whole parsed file: a config.v2.json holds every env variable). */
interface CachedStateFile {
  mtimeMs: number;
  size: number;
  extracted: unknown;
}

/** Describes containers; keeps parsed runtime files between snapshots, re-reading one only when it changed. */
export class ContainerCatalog {
  private readonly stateFiles = new Map<string, CachedStateFile>();

  /** Every container once, keyed by `containerKey`. */
  describeAll(containers: Iterable<CgroupContainer>, options: ContainerLookupOptions): Map<string, ContainerDetails> {
    const lookup = new SnapshotLookup(this, options);
    const described = new Map<string, ContainerDetails>();
    for (const container of containers) {
      const key = containerKey(container);
      if (!described.has(key)) described.set(key, lookup.describe(container));
    }
    return described;
  }

  /**
   * What `extract` takes from a JSON state file (given undefined when the file is missing,
   * unreadable, oversized, not a regular file or not JSON). Kept per path until the file's mtime or
   * size changes; one path is always read with one extractor. Rootless runtimes keep their files in
   * a user's home, where that user may put a FIFO or a symbolic link instead: the file is opened
   * without following a link or blocking, and checked once open.
   */
  readStateFile<T>(filePath: string, extract: (parsed: unknown) => T): T {
    let fd: number;
    try {
      fd = openSync(filePath, STATE_FILE_OPEN_FLAGS);
    } catch {
      return extract(undefined);
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || stats.size > MAX_STATE_FILE_BYTES) return extract(undefined);
      const cached = this.stateFiles.get(filePath);
      if (cached !== undefined && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.extracted as T;
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(fd, 'utf8'));
      } catch (error) {
        if (!(error instanceof SyntaxError) && !isExpectedReadError(error)) throw error;
      }
      const extracted = extract(parsed);
      this.stateFiles.delete(filePath);
      this.stateFiles.set(filePath, { mtimeMs: stats.mtimeMs, size: stats.size, extracted });
      if (this.stateFiles.size > MAX_CACHED_STATE_FILES) this.stateFiles.delete(this.stateFiles.keys().next().value as string);
      return extracted;
    } finally {
      closeSync(fd);
    }
  }
}

export function containerKey(container: Pick<CgroupContainer, 'runtime' | 'id'>): string {
  return `${container.runtime ?? ''}/${container.id}`;
}

function listEntries(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch (error) {
    if (isExpectedReadError(error)) return [];
    throw error;
  }
}

function exists(filePath: string): boolean {
  try {
    return statSync(filePath, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if (isExpectedReadError(error)) return false;
    throw error;
  }
}

/** Directory listings that every container of one snapshot shares, each read at most once. */
class SnapshotLookup {
  private containerdNamespaces: string[] | undefined;
  private podsByUid: Map<string, { podNamespace: string; podName: string }> | undefined;
  private readonly storageNames = new Map<string, Map<string, string>>();

  constructor(
    private readonly catalog: ContainerCatalog,
    private readonly options: ContainerLookupOptions,
  ) {}

  private atRoot(...parts: string[]): string {
    return path.join(this.options.runtimeRoot, ...parts);
  }

  private rootlessHome(container: CgroupContainer): string | null {
    if (container.rootlessUid === null) return null;
    const home = this.options.homeOfUid(container.rootlessUid);
    return home === null ? null : this.atRoot(home);
  }

  /** containerd keeps one task directory per containerd namespace (k8s.io for the kubelet, moby for docker, default for nerdctl). */
  private containerdConfigPath(id: string): string | null {
    this.containerdNamespaces ??= listEntries(this.atRoot(runtimePaths.containerdTasks)).sort((left, right) =>
      left === 'k8s.io' ? -1 : right === 'k8s.io' ? 1 : left.localeCompare(right),
    );
    for (const namespace of this.containerdNamespaces) {
      const configPath = this.atRoot(runtimePaths.containerdTasks, namespace, id, 'config.json');
      if (exists(configPath)) return configPath;
    }
    return null;
  }

  private storageRoot(container: CgroupContainer): string {
    const home = this.rootlessHome(container);
    return home === null ? this.atRoot(runtimePaths.containersStorage) : path.join(home, runtimePaths.rootlessContainersStorage);
  }

  /** CRI-O and podman keep the OCI spec in the container's userdata, under the storage root (or the run root). */
  private storageConfigPath(container: CgroupContainer): string | null {
    const candidates = [
      path.join(this.storageRoot(container), 'overlay-containers', container.id, 'userdata', 'config.json'),
      this.atRoot(runtimePaths.containersRunStorage, 'overlay-containers', container.id, 'userdata', 'config.json'),
    ];
    return candidates.find(exists) ?? null;
  }

  /** podman's names: containers.json, and volatile-containers.json for `--rm` containers. */
  private storageName(container: CgroupContainer): string | null {
    const root = this.storageRoot(container);
    let names = this.storageNames.get(root);
    if (names === undefined) {
      names = new Map();
      for (const file of ['containers.json', 'volatile-containers.json']) {
        const fileNames = this.catalog.readStateFile(path.join(root, 'overlay-containers', file), parseStorageContainerNames);
        for (const [id, name] of fileNames) names.set(id, name);
      }
      this.storageNames.set(root, names);
    }
    return names.get(container.id) ?? null;
  }

  private dockerConfigPath(container: CgroupContainer): string {
    const home = this.rootlessHome(container);
    const containers = home === null ? this.atRoot(runtimePaths.dockerContainers) : path.join(home, runtimePaths.rootlessDockerContainers);
    return path.join(containers, container.id, 'config.v2.json');
  }

  private podOfUid(podUid: string): { podNamespace: string; podName: string } | null {
    if (this.podsByUid === undefined) {
      this.podsByUid = new Map();
      for (const entry of listEntries(this.atRoot(runtimePaths.kubeletPodLogs))) {
        const pod = parsePodLogDirectory(entry);
        if (pod !== null) this.podsByUid.set(pod.podUid, { podNamespace: pod.podNamespace, podName: pod.podName });
      }
    }
    return this.podsByUid.get(podUid) ?? null;
  }

  /** A kubelet pod on the cgroupfs driver names no runtime: the runtime whose files hold the id made it. */
  private runtimeOfPodContainer(container: CgroupContainer): string {
    if (this.containerdConfigPath(container.id) !== null) return 'containerd';
    if (this.storageConfigPath(container) !== null) return 'cri-o';
    if (exists(this.dockerConfigPath(container))) return 'docker';
    return 'kubernetes';
  }

  private factsOf(runtime: string, container: CgroupContainer): StateFileFacts {
    switch (runtime) {
      case 'docker':
        return this.catalog.readStateFile(this.dockerConfigPath(container), factsFromDockerConfig);
      case 'containerd': {
        const configPath = this.containerdConfigPath(container.id);
        return configPath === null ? NO_FACTS : this.catalog.readStateFile(configPath, factsFromOciConfig);
      }
      case 'cri-o':
      case 'podman': {
        const configPath = this.storageConfigPath(container);
        const facts = configPath === null ? NO_FACTS : this.catalog.readStateFile(configPath, factsFromOciConfig);
        return facts.name !== null ? facts : { ...facts, name: this.storageName(container) };
      }
      default:
        // LXC and systemd-nspawn: the cgroup path already named the container.
        return { ...NO_FACTS, name: cleanText(container.name) };
    }
  }

  describe(container: CgroupContainer): ContainerDetails {
    const runtime = container.runtime ?? this.runtimeOfPodContainer(container);
    const facts = this.factsOf(runtime, container);
    const podUid = container.podUid ?? facts.podUid;
    const isKubernetes = podUid !== null || facts.podName !== null;
    const podFromLogs = podUid !== null && (facts.podName === null || facts.podNamespace === null) ? this.podOfUid(podUid) : null;
    const tag: Container = {
      runtime,
      // LXC and systemd-nspawn ids are names from a cgroup path, which anyone allowed to make cgroups there chose.
      id: cleanText(container.id, MAX_ID_LENGTH) ?? container.runtime ?? runtime,
      name: facts.name,
    };
    if (isKubernetes) {
      tag.podNamespace = facts.podNamespace ?? podFromLogs?.podNamespace ?? null;
      tag.podName = facts.podName ?? podFromLogs?.podName ?? null;
    }
    return { tag, podUid, isPodSandbox: facts.isPodSandbox };
  }
}
