import { describe, expect, it } from 'vitest';
import { createEventLoopBudget } from '../../../collector/gather/linux/event-loop-budget';
import { claimSocketsOfProcess, findSocketOwners, listProcessIds, readProcess, socketInodeOfLink } from '../../../collector/gather/linux/scan-processes';
import { FIXTURE_ROOT } from './fixture';

const PROC = `${FIXTURE_ROOT}tree/proc`;
const context = { procRoot: PROC, bootTimeSeconds: 1795260437, clockTicksPerSecond: 100, userNames: new Map<number, string>() };

describe('socketInodeOfLink', () => {
  it('reads the inode of a socket descriptor', () => {
    expect(socketInodeOfLink('socket:[38213]')).toBe(38213);
  });

  it('ignores every other kind of descriptor', () => {
    for (const link of ['/dev/null', 'pipe:[5000]', 'anon_inode:[eventpoll]', 'socket:[]', 'socket:[12', 'socket:[0]']) {
      expect(socketInodeOfLink(link)).toBeNull();
    }
  });
});

describe('listProcessIds', () => {
  it('lists the numeric entries of /proc in ascending order, not self or net', () => {
    expect(listProcessIds(PROC)).toEqual([1, 2, 300, 301, 302, 400, 500, 501, 600]);
  });

  it('is empty when /proc cannot be read', () => {
    expect(listProcessIds(`${PROC}/missing`)).toEqual([]);
  });
});

describe('readProcess', () => {
  it('does not look for descriptors of kernel threads and zombies', () => {
    expect(readProcess(2, context)?.mayHoldSockets).toBe(false);
    expect(readProcess(400, context)?.mayHoldSockets).toBe(false);
    expect(readProcess(300, context)?.mayHoldSockets).toBe(true);
  });

  it('returns null for a process that has gone', () => {
    expect(readProcess(99999, context)).toBeNull();
  });
});

describe('claimSocketsOfProcess', () => {
  it('claims only wanted sockets that nobody claimed before', () => {
    const owners = new Map<number, number>([[1001, 300]]);
    const claimed = claimSocketsOfProcess(PROC, 301, new Set([1001, 1002]), owners);
    expect(claimed).toBe(1);
    expect([...owners]).toEqual([
      [1001, 300],
      [1002, 301],
    ]);
  });

  it('skips entries that are not symbolic links and processes without descriptors', () => {
    const owners = new Map<number, number>();
    expect(claimSocketsOfProcess(PROC, 1, new Set([1001]), owners)).toBe(0);
    expect(claimSocketsOfProcess(PROC, 99999, new Set([1001]), owners)).toBe(0);
  });
});

describe('findSocketOwners', () => {
  it('gives each socket the lowest pid holding it and ignores inodes nobody asked for', async () => {
    const owners = await findSocketOwners(PROC, [1, 300, 301, 302], new Set([1001, 1002, 1004, 1005, 1003]), createEventLoopBudget());
    expect([...owners].sort(([left], [right]) => left - right)).toEqual([
      [1001, 300],
      [1002, 301],
      [1004, 300],
      [1005, 302],
    ]);
  });
});

describe('createEventLoopBudget', () => {
  it('is spent after its slice and fresh again after yielding', async () => {
    const budget = createEventLoopBudget(0);
    expect(budget.isSpent()).toBe(true);
    const roomy = createEventLoopBudget(60_000);
    expect(roomy.isSpent()).toBe(false);
    await roomy.yieldToEventLoop();
    expect(roomy.isSpent()).toBe(false);
  });
});

describe('readProcess beyond stat and cmdline', () => {
  it('reads the network namespace, the executable and the container path of a process', () => {
    const reading = readProcess(500, { ...context, cgroupContainers: new Map() });
    expect(reading?.row).toMatchObject({ exe: '/usr/sbin/nginx', exeDeleted: false, exeSha256: null, netns: 4026532500, container: null });
    expect(reading?.cgroupContainer).toMatchObject({ runtime: 'docker', id: '4c0a7f3e9b2d8a61f5c7e0d93b4a6e2f1d8c9b7a6f5e4d3c2b1a09f8e7d6c5b4' });
  });

  it('looks for no executable or container of a kernel thread', () => {
    expect(readProcess(2, context)).toMatchObject({ row: { exe: null, exeDeleted: null }, executable: null, cgroupContainer: null });
  });
});
