// Which container a process runs in, told by the cgroup path the runtime put it in
// (/proc/PID/cgroup). Pure: names and pods come from the runtimes' own files (container-catalog.ts).

/** What the cgroup path alone says about a container. */
export interface CgroupContainer {
  /** docker, containerd, cri-o, podman, lxc, libvirt-lxc, systemd-nspawn; null when only a kubelet pod is named (cgroupfs driver). */
  runtime: string | null;
  /** 64 hex digits for docker, containerd, cri-o and podman; the name for LXC and systemd-nspawn, which have no other id. */
  id: string;
  /** LXC and systemd-nspawn name their containers in the path itself. */
  name: string | null;
  /** Kubernetes pod UID (with dashes) when the path runs through kubepods. */
  podUid: string | null;
  /** The uid of a rootless runtime (`user@UID.service`), whose files live in that user's home. */
  rootlessUid: number | null;
}

const HEX_ID = '[0-9a-f]{64}';
const BARE_ID = new RegExp(`^${HEX_ID}$`);

/**
 * Scopes (systemd driver) or directories (cgroupfs driver) that hold one container of a runtime.
 * The monitors beside them (`libpod-conmon-ID.scope`, `crio-conmon-ID.scope`) run outside the
 * container and deliberately match nothing.
 */
const CONTAINER_UNITS: ReadonlyArray<readonly [pattern: RegExp, runtime: string]> = [
  [new RegExp(`^docker-(${HEX_ID})\\.scope$`), 'docker'],
  [new RegExp(`^cri-containerd-(${HEX_ID})(?:\\.scope)?$`), 'containerd'],
  [new RegExp(`^crio-(${HEX_ID})(?:\\.scope)?$`), 'cri-o'],
  [new RegExp(`^libpod-(${HEX_ID})(?:\\.scope)?$`), 'podman'],
  [new RegExp(`^nerdctl-(${HEX_ID})\\.scope$`), 'containerd'],
];

/**
 * `kubepods-burstable-pod1b2c_…_9f.slice` / `kubepods-pod….slice` (systemd; `kubelet-kubepods-…` under
 * a kubelet whose cgroup root is kubelet.slice) or `pod1b2c-…-9f` (cgroupfs).
 */
const POD_UNIT = /^(?:(?:[a-z0-9]+-)*kubepods(?:-[a-z]+)?-pod([0-9a-f_]{36})\.slice|pod([0-9a-f-]{36}))$/;
const KUBEPODS = /^(?:kubepods|(?:[a-z0-9]+-)*kubepods\.slice)$/;
const ROOTLESS_MANAGER = /^user@(\d+)\.service$/;
const NSPAWN_SERVICE = /^systemd-nspawn@(.+)\.service$/;
const MACHINE_SCOPE = /^machine-(.+)\.scope$/;
/** libvirt names its machines `qemu-N-NAME` (virtual machines: host processes, not containers) and `lxc-PID-NAME`. */
const LIBVIRT_LXC_MACHINE = /^lxc-\d+-(.+)$/;
const LIBVIRT_QEMU_MACHINE = /^qemu-\d+-/;
const LXC_PAYLOAD_PREFIX = 'lxc.payload.';

/** systemd escapes unit names: `\x2d` is `-` (systemd-escape(1)). */
export function unescapeSystemdName(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function unitMatch(component: string): { runtime: string; id: string } | null {
  for (const [pattern, runtime] of CONTAINER_UNITS) {
    const id = pattern.exec(component)?.[1];
    if (id !== undefined) return { runtime, id };
  }
  return null;
}

type PathMatch = Omit<CgroupContainer, 'rootlessUid'>;

function namedContainer(runtime: string, name: string): PathMatch {
  return { runtime, id: name, name, podUid: null };
}

/** What the walk has learnt from the components above the current one. */
interface WalkState {
  isInKubepods: boolean;
  podUid: string | null;
}

/** The container that one path component (looking one ahead where a runtime spreads it over two) names, if any. */
function matchComponent(components: readonly string[], index: number, state: WalkState): PathMatch | null {
  const component = components[index] ?? '';
  const next = components[index + 1];
  const unit = unitMatch(component);
  if (unit !== null) return { ...unit, name: null, podUid: state.podUid };

  if (KUBEPODS.test(component)) state.isInKubepods = true;
  const pod = state.isInKubepods ? POD_UNIT.exec(component) : null;
  if (pod !== null) {
    state.podUid = (pod[1] ?? pod[2] ?? '').replaceAll('_', '-');
    // The cgroupfs driver names a pod's containers by bare id, without saying which runtime made them.
    return next !== undefined && BARE_ID.test(next) ? { runtime: null, id: next, name: null, podUid: state.podUid } : null;
  }

  if (component === 'docker' && next !== undefined && BARE_ID.test(next)) return { runtime: 'docker', id: next, name: null, podUid: null };
  if (component.startsWith(LXC_PAYLOAD_PREFIX) && component.length > LXC_PAYLOAD_PREFIX.length) {
    return namedContainer('lxc', component.slice(LXC_PAYLOAD_PREFIX.length));
  }
  // LXC before 4.0: `/lxc/NAME` at the top of the hierarchy.
  if (component === 'lxc' && index === 0 && next !== undefined) return namedContainer('lxc', next);

  const nspawnService = NSPAWN_SERVICE.exec(component)?.[1];
  if (nspawnService !== undefined) return namedContainer('systemd-nspawn', unescapeSystemdName(nspawnService));
  const machine = components[index - 1] === 'machine.slice' ? MACHINE_SCOPE.exec(component)?.[1] : undefined;
  if (machine === undefined) return null;
  const machineName = unescapeSystemdName(machine);
  if (LIBVIRT_QEMU_MACHINE.test(machineName)) return null;
  const libvirtLxcName = LIBVIRT_LXC_MACHINE.exec(machineName)?.[1];
  return libvirtLxcName !== undefined ? namedContainer('libvirt-lxc', libvirtLxcName) : namedContainer('systemd-nspawn', machineName);
}

/**
 * The outermost container on one cgroup path, or null for the host. Outermost, because that is the
 * one the host's runtime knows by name: a kind node's pods run inside the node's docker container,
 * whose name the host can tell, while the pods' own files live inside it.
 */
export function parseCgroupPath(path: string): CgroupContainer | null {
  const components = path.split('/').filter((component) => component !== '');
  const state: WalkState = { isInKubepods: false, podUid: null };
  let rootlessUid: number | null = null;
  for (let index = 0; index < components.length; index += 1) {
    const found = matchComponent(components, index, state);
    if (found !== null) return { ...found, rootlessUid };
    const manager = ROOTLESS_MANAGER.exec(components[index] ?? '')?.[1];
    if (manager !== undefined) rootlessUid = Number(manager);
  }
  return null;
}

/**
 * /proc/PID/cgroup: `0::PATH` on cgroup v2, one `ID:CONTROLLERS:PATH` line per hierarchy on v1.
 * The unified line is tried first, then systemd's own hierarchy, then the rest in file order: on v1
 * a runtime may have placed only some controllers.
 */
export function parseCgroupContainer(cgroupText: string): CgroupContainer | null {
  const paths: Array<{ rank: number; order: number; path: string }> = [];
  const lines = cgroupText.split('\n');
  for (let order = 0; order < lines.length; order += 1) {
    const line = lines[order] ?? '';
    const firstColon = line.indexOf(':');
    const secondColon = firstColon < 0 ? -1 : line.indexOf(':', firstColon + 1);
    if (secondColon < 0) continue;
    const controllers = line.slice(firstColon + 1, secondColon);
    const path = line.slice(secondColon + 1);
    if (path === '/' || path === '') continue;
    const rank = line.startsWith('0::') ? 0 : controllers === 'name=systemd' ? 1 : 2;
    paths.push({ rank, order, path });
  }
  paths.sort((left, right) => left.rank - right.rank || left.order - right.order);
  for (const { path } of paths) {
    const container = parseCgroupPath(path);
    if (container !== null) return container;
  }
  return null;
}
