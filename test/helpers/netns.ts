// A test host in a network namespace of the test's own, joined to this machine by a veth pair.
// Names are random so parallel runs never collide; always call remove() afterwards.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface VethPair {
  namespace: string;
  /** The end left in the root namespace, which this machine's collector sees. */
  rootEnd: string;
  setPromiscuous: (on: boolean) => void;
  remove: () => void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** `prefix` must not match the expected-promiscuous rules (veth*, docker*, br-*, …), or no alert is raised. */
export function createVethPair(prefix: string): VethPair {
  if (process.getuid?.() !== 0) throw new Error('network-namespace tests need root (CI runs as root)');
  const suffix = randomBytes(3).toString('hex');
  const namespace = `${prefix}-${suffix}`;
  const rootEnd = `${prefix}${suffix}`.slice(0, 15);
  const peer = `${prefix}p${suffix}`.slice(0, 15);
  ip('netns', 'add', namespace);
  try {
    ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', namespace);
    ip('link', 'set', rootEnd, 'up');
    ip('-n', namespace, 'link', 'set', peer, 'up');
  } catch (error) {
    ip('netns', 'del', namespace);
    throw error;
  }
  return {
    namespace,
    rootEnd,
    setPromiscuous: (on) => void ip('link', 'set', 'dev', rootEnd, 'promisc', on ? 'on' : 'off'),
    remove() {
      try {
        ip('link', 'del', rootEnd);
      } catch {
        // already gone with the namespace
      }
      try {
        ip('netns', 'del', namespace);
      } catch {
        // already removed
      }
    },
  };
}
