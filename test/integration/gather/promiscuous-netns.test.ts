import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherLinuxSnapshot } from '../../../collector/gather/linux/index';
import type { InterfaceRow } from '../../../lib/schemas/snapshot';

// A veth pair whose root-namespace end is switched into promiscuous mode and back: the gatherer must
// see it both ways. The peer lives in a throwaway network namespace; nothing is ever sent anywhere.
// Needs root and `ip netns` (iproute2): without them the test fails, it is never skipped.

const run = promisify(execFile);
const suffix = randomBytes(2).toString('hex');
const namespaceName = `ssc-test-${randomBytes(4).toString('hex')}`;
const rootEnd = `vsc${suffix}`;
const peerEnd = `vsp${suffix}`;

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

async function gatheredInterface(name: string): Promise<InterfaceRow | undefined> {
  const snapshot = await gatherLinuxSnapshot();
  return snapshot.interfaces?.find((row) => row.name === name);
}

let namespaceCreated = false;
let vethCreated = false;
// A failed setup fails every test with its message (a throwing beforeAll would report them as skipped).
let setupError: Error | undefined;

async function createVethPair(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error('promiscuous-netns needs root: it creates a network namespace and a veth pair (run the tests as root, as CI does).');
  }
  try {
    await ip('netns', 'list');
  } catch (error) {
    throw new Error(`promiscuous-netns needs \`ip netns\` from iproute2 (apt-get install iproute2): ${String(error)}`, { cause: error });
  }
  await ip('netns', 'add', namespaceName);
  namespaceCreated = true;
  await ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', peerEnd, 'netns', namespaceName);
  vethCreated = true;
  await ip('link', 'set', 'dev', rootEnd, 'up');
  await ip('-n', namespaceName, 'link', 'set', 'dev', peerEnd, 'up');
}

function assertSetUp(): void {
  if (setupError !== undefined) throw setupError;
}

beforeAll(async () => {
  try {
    await createVethPair();
  } catch (error) {
    setupError = error instanceof Error ? error : new Error(String(error));
  }
});

afterAll(async () => {
  // Deleting one end of a veth pair deletes both; the namespace goes after it. Each step runs even if another failed.
  if (vethCreated) await ip('link', 'del', 'dev', rootEnd).catch(() => undefined);
  if (namespaceCreated) await ip('netns', 'del', namespaceName).catch(() => undefined);
});

describe('promiscuous mode on a veth interface', () => {
  it('reports the new interface up, not promiscuous, and not its peer in the other namespace', async () => {
    assertSetUp();
    const row = await gatheredInterface(rootEnd);
    expect(row).toMatchObject({ name: rootEnd, promiscuous: false });
    expect(row?.flags).toContain('UP');
    expect(row?.flags).not.toContain('PROMISC');
    expect(await gatheredInterface(peerEnd)).toBeUndefined();
  });

  it('reports promiscuous: true with PROMISC in the flags once it is turned on', async () => {
    assertSetUp();
    await ip('link', 'set', 'dev', rootEnd, 'promisc', 'on');
    const row = await gatheredInterface(rootEnd);
    expect(row?.promiscuous).toBe(true);
    expect(row?.flags).toContain('PROMISC');
  });

  it('reports promiscuous: false again once it is turned off', async () => {
    assertSetUp();
    await ip('link', 'set', 'dev', rootEnd, 'promisc', 'off');
    const row = await gatheredInterface(rootEnd);
    expect(row?.promiscuous).toBe(false);
    expect(row?.flags).not.toContain('PROMISC');
  });
});
