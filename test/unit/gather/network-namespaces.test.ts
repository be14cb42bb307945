import { describe, expect, it } from 'vitest';
import {
  findNamespaceSysfs,
  isSysfsOfNamespace,
  parseIfInet6Indexes,
  parseIgmpIndexes,
  parseNetDevNames,
} from '../../../collector/gather/linux/namespace-sysfs';
import { groupByNamespace, parseNamespaceLink } from '../../../collector/gather/linux/network-namespaces';
import { FIXTURE_ROOT, fixtureText } from './fixture';

const PROC = `${FIXTURE_ROOT}tree/proc`;
// The copied tree is no sysfs as statfs sees it; it stands in for one.
const copiedSysfs = { isSysfs: () => true, isRootWalkable: () => true };

describe('parseNamespaceLink', () => {
  it('reads the inode of a network namespace link', () => {
    expect(parseNamespaceLink('net:[4026531992]')).toBe(4026531992);
  });

  it('refuses anything else', () => {
    for (const link of ['mnt:[4026531841]', 'net:[]', 'net:[0]', 'net:4026531992', '/proc/1/ns/net']) expect(parseNamespaceLink(link)).toBeNull();
  });
});

describe('groupByNamespace', () => {
  it('lists each namespace with its members in pid order, leaving out processes of unknown namespace', () => {
    const grouped = groupByNamespace(
      new Map([
        [30, 7],
        [4, 9],
        [12, 7],
        [1, null],
      ]),
    );
    expect([...grouped]).toEqual([
      [7, [12, 30]],
      [9, [4]],
    ]);
  });
});

describe('reading another namespace through /proc/PID/net', () => {
  it('takes interface names from net/dev and indexes from if_inet6 and igmp', () => {
    expect(parseNetDevNames(fixtureText('tree/proc/500/net/dev'))).toEqual(['lo', 'eth0']);
    expect([...parseIfInet6Indexes(fixtureText('tree/proc/500/net/if_inet6'))]).toEqual([
      ['eth0', 2],
      ['lo', 1],
    ]);
    expect([...parseIgmpIndexes(fixtureText('tree/proc/500/net/igmp'))]).toEqual([
      ['lo', 1],
      ['eth0', 2],
    ]);
  });

  it("believes a container's own sysfs, seen through its root", () => {
    expect(isSysfsOfNamespace(`${PROC}/500/root/sys`, `${PROC}/500/net`, copiedSysfs)).toBe(true);
  });

  it("refuses the host's sysfs seen from a process that shares the host's mounts", () => {
    expect(isSysfsOfNamespace(`${PROC}/600/root/sys`, `${PROC}/600/net`, copiedSysfs)).toBe(false);
    expect(isSysfsOfNamespace(`${PROC}/500/root/sys`, `${PROC}/600/net`, copiedSysfs)).toBe(false);
  });

  it("does not walk into a member's root that is not local (fuse-overlayfs)", () => {
    expect(findNamespaceSysfs(PROC, [500], `${PROC}/500/net`, copiedSysfs)).toBe(`${PROC}/500/root/sys`);
    expect(findNamespaceSysfs(PROC, [500], `${PROC}/500/net`, { ...copiedSysfs, isRootWalkable: () => false })).toBeNull();
  });

  it('refuses a directory that is not on sysfs, however right its contents look', () => {
    expect(isSysfsOfNamespace(`${PROC}/500/root/sys`, `${PROC}/500/net`, { isSysfs: () => false, isRootWalkable: () => true })).toBe(false);
  });
});
