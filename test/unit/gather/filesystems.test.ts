import { describe, expect, it } from 'vitest';
import { LocalFilesystems, deviceOfMapping, filesystemTypeOfPath, isLocalFilesystem, parseMountinfo } from '../../../collector/gather/linux/filesystems';
import { FIXTURE_ROOT, fixtureText } from './fixture';

// A host with an ext4 root, homes on NFS and a user's sshfs mount (test/fixtures/gather/filesystems).
const PROC = `${FIXTURE_ROOT}filesystems/proc`;
const ownTable = parseMountinfo(fixtureText('filesystems/proc/self/mountinfo'));

describe('parseMountinfo', () => {
  it('maps devices to file system types', () => {
    expect(ownTable.typeByDevice.get('254:0')).toBe('ext4');
    expect(ownTable.typeByDevice.get('0:45')).toBe('nfs4');
    expect(ownTable.typeByDevice.get('0:46')).toBe('fuse.sshfs');
    expect(ownTable.typeByDevice.get('0:40')).toBe('overlay');
  });

  it('unescapes mount points', () => {
    expect(ownTable.mounts.map((mount) => mount.mountPoint)).toContain('/home/mallory/my files');
  });
});

describe('filesystemTypeOfPath', () => {
  it('takes the longest mount point above the path', () => {
    expect(filesystemTypeOfPath(ownTable, '/usr/bin/redis-server')).toBe('ext4');
    expect(filesystemTypeOfPath(ownTable, '/home/alice')).toBe('nfs4');
    expect(filesystemTypeOfPath(ownTable, '/home/mallory/my files/tool')).toBe('fuse.sshfs');
    expect(filesystemTypeOfPath(ownTable, '/homework')).toBe('ext4');
  });
});

describe('isLocalFilesystem', () => {
  it('trusts kernel file systems on memory or a local disk, and nothing a daemon or a network answers for', () => {
    for (const type of ['ext4', 'xfs', 'btrfs', 'overlay', 'tmpfs', 'squashfs']) expect(isLocalFilesystem(type)).toBe(true);
    for (const type of ['fuse.sshfs', 'fuse.fuse-overlayfs', 'fuse', 'nfs4', 'cifs', '9p', 'ceph', undefined]) expect(isLocalFilesystem(type)).toBe(false);
  });
});

describe('deviceOfMapping', () => {
  it('finds the device of the mapping with that path, in decimal as mountinfo writes it', () => {
    expect(deviceOfMapping(fixtureText('filesystems/proc/700/maps'), '/usr/bin/redis-check-rdb')).toBe('254:0');
    expect(deviceOfMapping(fixtureText('filesystems/proc/701/maps'), '/home/mallory/my files/tool')).toBe('0:46');
    expect(deviceOfMapping(fixtureText('filesystems/proc/700/maps'), '/usr/bin/other')).toBeNull();
  });
});

describe('LocalFilesystems', () => {
  const filesystems = new LocalFilesystems(PROC);

  it('lets executables on local file systems of our mount table be looked at', () => {
    expect(filesystems.isExecutableLocal(700, '/usr/bin/redis-check-rdb')).toBe(true);
    // chromium reserves address space below its executable: the mapping comes pages down.
    expect(filesystems.isExecutableLocal(704, '/usr/lib/chromium/chromium')).toBe(true);
  });

  it('keeps away from executables on FUSE, on devices our mount table does not show (memfd among them), or without a mapping', () => {
    expect(filesystems.isExecutableLocal(701, '/home/mallory/my files/tool')).toBe(false);
    expect(filesystems.isExecutableLocal(702, '/memfd:sealed-91173221a7ea (deleted)')).toBe(false);
    expect(filesystems.isExecutableLocal(703, '/opt/tool')).toBe(false);
    expect(filesystems.isExecutableLocal(99999, '/usr/bin/gone')).toBe(false);
  });

  it("walks into a container's root only on a local file system of ours, and only to a sysfs of its own", () => {
    expect(filesystems.hasLocalRootAndSysfs(710)).toBe(true);
    expect(filesystems.hasLocalRootAndSysfs(711)).toBe(false);
    expect(filesystems.hasLocalRootAndSysfs(712)).toBe(false);
    // An overlay a user mounted in a namespace of their own: its layers could be on their FUSE mount.
    expect(filesystems.hasLocalRootAndSysfs(713)).toBe(false);
  });

  it('tells local paths of ours from ones on NFS or FUSE', () => {
    expect(filesystems.isPathLocal('/root')).toBe(true);
    expect(filesystems.isPathLocal('/home/alice')).toBe(false);
  });
});
