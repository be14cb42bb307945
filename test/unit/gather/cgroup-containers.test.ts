import { describe, expect, it } from 'vitest';
import { parseCgroupContainer, parseCgroupPath, unescapeSystemdName, type CgroupContainer } from '../../../collector/gather/linux/cgroup-containers';
import { fixtureText } from './fixture';

// /proc/PID/cgroup as each runtime leaves it, cgroup v1 and v2, systemd and cgroupfs drivers
// (test/fixtures/gather/cgroup).
const DOCKER_ID = '9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d';
const CONTAINERD_ID = '6a825448c5ef07ac0c3b99532b18bdec0e1d0bb1eb41b4672d570634a1409a85';
const KUBEPODS_ID = '34dc0b5e626f2c5c4c5170e34b10e7654ce36f0fcd532739f4445baabea03376';
const PODMAN_ID = '3f084b4c7b789c1a0f174da3fcd339e31125d3096b3ff46a0bef4fad71d09362';
const KIND_NODE_ID = '47335b04ebb4aefdc353dda62ddd38e5e1e00fc1372f0c8d0138417f0ccb9e6c';

const container = (fields: Partial<CgroupContainer> & Pick<CgroupContainer, 'runtime' | 'id'>): CgroupContainer => ({
  name: null,
  podUid: null,
  rootlessUid: null,
  ...fields,
});

const parseFixture = (name: string) => parseCgroupContainer(fixtureText(`cgroup/${name}`));

describe('parseCgroupContainer, one runtime at a time', () => {
  it.each([
    ['docker-cgroupfs-v1.txt', container({ runtime: 'docker', id: DOCKER_ID })],
    ['docker-systemd-v1.txt', container({ runtime: 'docker', id: DOCKER_ID })],
    ['docker-systemd-v2.txt', container({ runtime: 'docker', id: DOCKER_ID })],
    ['docker-rootless-v2.txt', container({ runtime: 'docker', id: DOCKER_ID, rootlessUid: 1000 })],
  ])('docker: %s', (file, expected) => {
    expect(parseFixture(file)).toEqual(expected);
  });

  it.each([['containerd-kubepods-systemd-v2.txt'], ['containerd-kubepods-guaranteed-v2.txt']])(
    'containerd under the kubelet, with the pod UID (underscores back to dashes): %s',
    (file) => {
      expect(parseFixture(file)).toEqual(container({ runtime: 'containerd', id: CONTAINERD_ID, podUid: '005f082b-5fd9-4650-8ef4-473e63bc2d13' }));
    },
  );

  it('containerd under a kubelet whose cgroup root is kubelet.slice (kind, some distributions)', () => {
    expect(parseFixture('containerd-kubelet-slice-v2.txt')).toEqual(
      container({ runtime: 'containerd', id: KUBEPODS_ID, podUid: '74c13223-5a00-11e9-b385-42010a80018d' }),
    );
  });

  it('the kubelet on the cgroupfs driver names the pod and the id but no runtime', () => {
    expect(parseFixture('kubepods-cgroupfs-v1.txt')).toEqual(container({ runtime: null, id: KUBEPODS_ID, podUid: '74c13223-5a00-11e9-b385-42010a80018d' }));
  });

  it('CRI-O under the kubelet, and not its conmon', () => {
    expect(parseFixture('crio-kubepods-systemd-v2.txt')).toEqual(
      container({ runtime: 'cri-o', id: KUBEPODS_ID, podUid: '74c13223-5a00-11e9-b385-42010a80018d' }),
    );
    expect(parseFixture('crio-conmon-v2.txt')).toBeNull();
  });

  it.each([
    ['podman-root-v2.txt', container({ runtime: 'podman', id: PODMAN_ID })],
    ['podman-rootless-v2.txt', container({ runtime: 'podman', id: PODMAN_ID, rootlessUid: 1000 })],
    ['podman-pod-v2.txt', container({ runtime: 'podman', id: PODMAN_ID })],
    ['podman-conmon-v2.txt', null],
  ])('podman: %s', (file, expected) => {
    expect(parseFixture(file)).toEqual(expected);
  });

  it.each([
    ['lxc-payload-v2.txt', container({ runtime: 'lxc', id: 'web01', name: 'web01' })],
    ['lxc-legacy-v1.txt', container({ runtime: 'lxc', id: 'web01', name: 'web01' })],
    ['lxc-monitor-v2.txt', null],
  ])('LXC: %s', (file, expected) => {
    expect(parseFixture(file)).toEqual(expected);
  });

  it.each([
    ['nspawn-service-v2.txt', container({ runtime: 'systemd-nspawn', id: 'arch', name: 'arch' })],
    ['nspawn-scope-v2.txt', container({ runtime: 'systemd-nspawn', id: 'debian-build', name: 'debian-build' })],
    ['libvirt-qemu-v2.txt', null],
  ])('machined: %s (a libvirt VM is no container)', (file, expected) => {
    expect(parseFixture(file)).toEqual(expected);
  });

  it('a kind node: the outermost container, the one the host knows by name', () => {
    expect(parseFixture('kind-node-pod-v1.txt')).toEqual(container({ runtime: 'docker', id: KIND_NODE_ID }));
  });

  it.each([['host-dockerd-v2.txt'], ['host-session-v2.txt'], ['host-root-v1.txt']])('host processes: %s', (file) => {
    expect(parseFixture(file)).toBeNull();
  });
});

describe('parseCgroupPath', () => {
  it('needs a whole id: a short one or a bare hex name elsewhere is no container', () => {
    expect(parseCgroupPath(`/system.slice/docker-${DOCKER_ID.slice(0, 12)}.scope`)).toBeNull();
    expect(parseCgroupPath(`/${DOCKER_ID}`)).toBeNull();
    expect(parseCgroupPath(`/system.slice/pod${'0'.repeat(8)}-0000-0000-0000-000000000000/${DOCKER_ID}`)).toBeNull();
  });

  it('accepts CRI-O and containerd directories of the cgroupfs driver', () => {
    expect(parseCgroupPath(`/kubepods/pod74c13223-5a00-11e9-b385-42010a80018d/crio-${KUBEPODS_ID}`)).toMatchObject({
      runtime: 'cri-o',
      podUid: '74c13223-5a00-11e9-b385-42010a80018d',
    });
  });

  it('reads a libvirt LXC domain as libvirt-lxc', () => {
    expect(parseCgroupPath('/machine.slice/machine-lxc\\x2d4242\\x2dweb.scope')).toEqual(container({ runtime: 'libvirt-lxc', id: 'web', name: 'web' }));
  });
});

describe('unescapeSystemdName', () => {
  it('turns \\xNN escapes back into characters', () => {
    expect(unescapeSystemdName('debian\\x2dbuild\\x2e1')).toBe('debian-build.1');
    expect(unescapeSystemdName('plain')).toBe('plain');
  });
});
