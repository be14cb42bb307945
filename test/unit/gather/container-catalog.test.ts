import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CgroupContainer } from '../../../collector/gather/linux/cgroup-containers';
import {
  ContainerCatalog,
  containerKey,
  factsFromOciConfig,
  parsePodLogDirectory,
  parseStorageContainerNames,
} from '../../../collector/gather/linux/container-catalog';
import { containerOfNamespace } from '../../../collector/gather/linux/namespace-containers';
import { FIXTURE_ROOT } from './fixture';

// Runtime state files as docker, containerd, CRI-O, podman and the kubelet leave them
// (test/fixtures/gather/runtime, a host's / in miniature).
const RUNTIME_ROOT = `${FIXTURE_ROOT}runtime`;
const DOCKER_ID = '9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d';
const CRI_DOCKERD_ID = '0b7c3f2e1d5a49688c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c';
const CONTAINERD_ID = '6a825448c5ef07ac0c3b99532b18bdec0e1d0bb1eb41b4672d570634a1409a85';
const SANDBOX_ID = '446c65ab43d490ab8d7f693a46050db88f66a2bf657eda0c3de8bc8bab516be4';
const CRIO_ID = '34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376';
const PODMAN_ID = '3f084b4c7b789c1a0f174da3fcd339e31125d3096b3ff46a0bef4fad71d09362';
const ROOTLESS_PODMAN_ID = '974a75c8cf45648fcc6e718ba92ee1f2034463674f0d5b0c50f5cab041a4cbd6';
const HOSTNAME_POD = '005f082b-5fd9-4650-8ef4-473e63bc2d13';
const COREDNS_POD = '74c13223-5a00-11e9-b385-42010a80018d';
const UNKNOWN_ID = 'f'.repeat(64);

const ref = (fields: Partial<CgroupContainer> & Pick<CgroupContainer, 'runtime' | 'id'>): CgroupContainer => ({
  name: null,
  podUid: null,
  rootlessUid: null,
  ...fields,
});

function describeOne(container: CgroupContainer, runtimeRoot = RUNTIME_ROOT) {
  const details = new ContainerCatalog().describeAll([container], {
    runtimeRoot,
    homeOfUid: (uid) => (uid === 1000 ? '/home/alice' : null),
  });
  return details.get(containerKey(container));
}

describe('ContainerCatalog', () => {
  it("names a docker container from its config.v2.json, without docker's leading slash", () => {
    expect(describeOne(ref({ runtime: 'docker', id: DOCKER_ID }))).toEqual({
      tag: { runtime: 'docker', id: DOCKER_ID, name: 'web' },
      podUid: null,
      isPodSandbox: false,
    });
  });

  it("takes a Kubernetes container's name and pod from cri-dockerd's labels", () => {
    expect(describeOne(ref({ runtime: 'docker', id: CRI_DOCKERD_ID }))?.tag).toEqual({
      runtime: 'docker',
      id: CRI_DOCKERD_ID,
      name: 'coredns',
      podNamespace: 'kube-system',
      podName: 'coredns-5d78c9869d-abcde',
    });
  });

  it("reads containerd's CRI annotations, and knows the pod's sandbox", () => {
    expect(describeOne(ref({ runtime: 'containerd', id: CONTAINERD_ID, podUid: HOSTNAME_POD }))).toEqual({
      tag: { runtime: 'containerd', id: CONTAINERD_ID, name: 'hostname', podNamespace: 'default', podName: 'hostname-lb-edge-64df67bd8b-xmzhv' },
      podUid: HOSTNAME_POD,
      isPodSandbox: false,
    });
    expect(describeOne(ref({ runtime: 'containerd', id: SANDBOX_ID, podUid: HOSTNAME_POD }))).toMatchObject({
      tag: { name: null, podName: 'hostname-lb-edge-64df67bd8b-xmzhv' },
      isPodSandbox: true,
    });
  });

  it("reads CRI-O's annotations", () => {
    expect(describeOne(ref({ runtime: 'cri-o', id: CRIO_ID, podUid: COREDNS_POD }))?.tag).toEqual({
      runtime: 'cri-o',
      id: CRIO_ID,
      name: 'coredns',
      podNamespace: 'kube-system',
      podName: 'coredns-5d78c9869d-abcde',
    });
  });

  it('tells the runtime of a cgroupfs pod container by whose files hold its id', () => {
    expect(describeOne(ref({ runtime: null, id: CONTAINERD_ID, podUid: HOSTNAME_POD }))?.tag.runtime).toBe('containerd');
    expect(describeOne(ref({ runtime: null, id: CRIO_ID, podUid: COREDNS_POD }))?.tag.runtime).toBe('cri-o');
    expect(describeOne(ref({ runtime: null, id: CRI_DOCKERD_ID, podUid: COREDNS_POD }))?.tag.runtime).toBe('docker');
  });

  it("falls back to the kubelet's pod log directories for the pod, and says kubernetes when no runtime's files hold the id", () => {
    expect(describeOne(ref({ runtime: null, id: UNKNOWN_ID, podUid: 'b1946ac9-2b29-4c4a-9b1c-5a6a1d2c3e4f' }))?.tag).toEqual({
      runtime: 'kubernetes',
      id: UNKNOWN_ID,
      name: null,
      podNamespace: 'monitoring',
      podName: 'node-exporter-7xk2p',
    });
  });

  it("names podman containers from containers/storage, a rootless one's from its user's home", () => {
    expect(describeOne(ref({ runtime: 'podman', id: PODMAN_ID }))?.tag).toEqual({ runtime: 'podman', id: PODMAN_ID, name: 'db' });
    expect(describeOne(ref({ runtime: 'podman', id: ROOTLESS_PODMAN_ID, rootlessUid: 1000 }))?.tag).toEqual({
      runtime: 'podman',
      id: ROOTLESS_PODMAN_ID,
      name: 'scratch',
    });
  });

  it('keeps the name LXC and systemd-nspawn put in the cgroup path', () => {
    expect(describeOne(ref({ runtime: 'lxc', id: 'web01', name: 'web01' }))?.tag).toEqual({ runtime: 'lxc', id: 'web01', name: 'web01' });
  });

  it('leaves the name null when the runtime keeps no files here', () => {
    expect(describeOne(ref({ runtime: 'docker', id: UNKNOWN_ID }))?.tag).toEqual({ runtime: 'docker', id: UNKNOWN_ID, name: null });
  });

  describe('with files that change', () => {
    const root = mkdtempSync(join(tmpdir(), 'sockscope-catalog-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const directory = join(root, 'var/lib/docker/containers', DOCKER_ID);
    mkdirSync(directory, { recursive: true });
    const configPath = join(directory, 'config.v2.json');

    it('re-reads a state file when it changed (docker rename) and drops NUL bytes from names', () => {
      const catalog = new ContainerCatalog();
      const container = ref({ runtime: 'docker', id: DOCKER_ID });
      const options = { runtimeRoot: root, homeOfUid: () => null };
      writeFileSync(configPath, JSON.stringify({ Name: '/old' }));
      utimesSync(configPath, 1_000, 1_000);
      expect(catalog.describeAll([container], options).get(containerKey(container))?.tag.name).toBe('old');
      writeFileSync(configPath, JSON.stringify({ Name: '/ne\u0000w' }));
      utimesSync(configPath, 2_000, 2_000);
      expect(catalog.describeAll([container], options).get(containerKey(container))?.tag.name).toBe('new');
    });

    it('treats a file that is not JSON as unknown', () => {
      writeFileSync(configPath, '{"Name": "/trunc');
      const container = ref({ runtime: 'docker', id: DOCKER_ID });
      const details = new ContainerCatalog().describeAll([container], { runtimeRoot: root, homeOfUid: () => null });
      expect(details.get(containerKey(container))?.tag.name).toBeNull();
    });
  });
});

describe('runtime file parsers', () => {
  it('bounds names from annotations at 253 characters', () => {
    expect(factsFromOciConfig({ annotations: { 'io.kubernetes.cri.container-name': 'x'.repeat(300) } }).name).toHaveLength(253);
  });

  it('reads containers.json entries with a name, skipping the rest', () => {
    expect([...parseStorageContainerNames([{ id: 'a', names: ['one', 'alias'] }, { id: 'b', names: [] }, { names: ['c'] }, 'junk'])]).toEqual([['a', 'one']]);
    expect(parseStorageContainerNames({}).size).toBe(0);
  });

  it('splits /var/log/pods directory names into namespace, pod and UID', () => {
    expect(parsePodLogDirectory(`kube-system_coredns-5d78c9869d-abcde_${COREDNS_POD}`)).toEqual({
      podNamespace: 'kube-system',
      podName: 'coredns-5d78c9869d-abcde',
      podUid: COREDNS_POD,
    });
    expect(parsePodLogDirectory('not-a-pod-directory')).toBeNull();
  });
});

describe('containerOfNamespace', () => {
  const details = (id: string, fields: { podUid?: string; isPodSandbox?: boolean; podName?: string } = {}) => ({
    tag:
      fields.podUid === undefined
        ? { runtime: 'containerd', id, name: `name-${id}` }
        : { runtime: 'containerd', id, name: `name-${id}`, podNamespace: 'default', podName: fields.podName ?? null },
    podUid: fields.podUid ?? null,
    isPodSandbox: fields.isPodSandbox ?? false,
  });

  it('is the one container all members belong to', () => {
    expect(containerOfNamespace([details('b'), details('b')])).toEqual({ runtime: 'containerd', id: 'b', name: 'name-b' });
  });

  it("is the pod when its containers share it: the sandbox's id, no container name", () => {
    expect(containerOfNamespace([details('a', { podUid: 'p' }), details('c', { podUid: 'p', isPodSandbox: true, podName: 'web-1' })])).toEqual({
      runtime: 'containerd',
      id: 'c',
      name: null,
      podNamespace: 'default',
      podName: 'web-1',
    });
  });

  it('takes the lowest id for a pod whose sandbox is not known, and the pod name any member knows', () => {
    expect(containerOfNamespace([details('c', { podUid: 'p', podName: 'web-1' }), details('a', { podUid: 'p' })])).toEqual({
      runtime: 'containerd',
      id: 'a',
      name: null,
      podNamespace: 'default',
      podName: 'web-1',
    });
  });

  it('is null without members in containers, or with members of different containers or pods', () => {
    expect(containerOfNamespace([])).toBeNull();
    expect(containerOfNamespace([details('a'), details('b')])).toBeNull();
    expect(containerOfNamespace([details('a', { podUid: 'p' }), details('b', { podUid: 'q' })])).toBeNull();
  });
});

describe('names from cgroup paths', () => {
  it('drops NUL bytes a crafted systemd escape would bring in', () => {
    const crafted = ref({ runtime: 'systemd-nspawn', id: 'evil\u0000box', name: 'evil\u0000box' });
    const details = new ContainerCatalog().describeAll([crafted], { runtimeRoot: RUNTIME_ROOT, homeOfUid: () => null });
    expect(details.get(containerKey(crafted))?.tag).toEqual({ runtime: 'systemd-nspawn', id: 'evilbox', name: 'evilbox' });
  });
});

describe('state files in a home directory its user controls', () => {
  const root = mkdtempSync(join(tmpdir(), 'sockscope-rootless-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const storage = join(root, 'home/mallory/.local/share/containers/storage/overlay-containers');
  mkdirSync(storage, { recursive: true });
  const options = { runtimeRoot: root, homeOfUid: (uid: number) => (uid === 1001 ? '/home/mallory' : null) };
  const container = ref({ runtime: 'podman', id: ROOTLESS_PODMAN_ID, rootlessUid: 1001 });

  it('neither blocks on a FIFO nor follows a symbolic link out of it', () => {
    execFileSync('mkfifo', [join(storage, 'containers.json')]);
    writeFileSync(join(root, 'elsewhere.json'), JSON.stringify([{ id: ROOTLESS_PODMAN_ID, names: ['from-a-link'] }]));
    symlinkSync(join(root, 'elsewhere.json'), join(storage, 'volatile-containers.json'));
    expect(new ContainerCatalog().describeAll([container], options).get(containerKey(container))?.tag.name).toBeNull();
  });
});
