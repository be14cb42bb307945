// Network namespaces of the test's own, each with a process listening inside, and a stand-in for a
// container: a cgroup named as docker names its scopes, with docker's state file in a runtime root of
// the test's own. Names are random so parallel runs never collide; everything is removed afterwards.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/** The inode of a named namespace: the number /proc/PID/ns/net shows for its members. */
export function namespaceInode(name: string): number {
  return statSync(`/run/netns/${name}`).ino;
}

export async function assertCanCreateNamespaces(testName: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(`${testName} needs root: it creates network namespaces (run the tests as root, as CI does).`);
  }
  try {
    await ip('netns', 'list');
  } catch (error) {
    throw new Error(`${testName} needs \`ip netns\` from iproute2 (apt-get install iproute2): ${String(error)}`, { cause: error });
  }
}

export interface ListenerPorts {
  tcp4: number;
  tcp6: number;
  udp4: number;
  udp6: number;
}

// TCP and UDP, v4 and v6, each on a socket of its own; prints "ready" once all four are bound.
const LISTENER_SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
const [tcp4, tcp6, udp4, udp6] = process.argv.slice(1).map(Number);
const listen = (server, options) => new Promise((resolve, reject) => { server.once('error', reject); server.listen(options, resolve); });
const bind = (socket, port, address) => new Promise((resolve, reject) => { socket.once('error', reject); socket.bind(port, address, resolve); });
Promise.all([
  listen(net.createServer(), { host: '127.0.0.1', port: tcp4 }),
  listen(net.createServer(), { host: '::1', port: tcp6, ipv6Only: true }),
  bind(dgram.createSocket('udp4'), udp4, '0.0.0.0'),
  bind(dgram.createSocket({ type: 'udp6', ipv6Only: true }), udp6, '::'),
]).then(() => process.stdout.write('ready\\n'), (error) => { console.error(error); process.exit(1); });
setInterval(() => {}, 1 << 30);
`;

/** `ip netns exec NS node …`: ip execs node, so the child's pid is the listener's. */
export async function startListener(namespace: string, ports: ListenerPorts): Promise<ChildProcess> {
  const child = spawn(
    'ip',
    ['netns', 'exec', namespace, process.execPath, '-e', LISTENER_SCRIPT, String(ports.tcp4), String(ports.tcp6), String(ports.udp4), String(ports.udp6)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`listener in ${namespace} exited with ${code}: ${stderr}`)));
    child.once('error', reject);
  });
  return child;
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A cgroup hierarchy we may create groups in: the unified (v2) one if mounted, else a v1 one. */
function findCgroupHierarchy(): string {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' '));
  const unified = mounts.find((fields) => fields[2] === 'cgroup2')?.[1];
  if (unified !== undefined) return unified;
  const v1 = mounts.find((fields) => fields[2] === 'cgroup' && /(^|,)(pids|freezer)(,|$)/.test(fields[3] ?? ''))?.[1];
  if (v1 === undefined) throw new Error('no cgroup hierarchy mounted to place the stand-in container in');
  return v1;
}

export interface StandInContainer {
  id: string;
  name: string;
  /** Moves a process into the container's cgroup. */
  adopt: (pid: number) => void;
  remove: () => void;
}

/** `…/sockscope-test-RANDOM/docker-ID.scope` and docker's config.v2.json for the id under `runtimeRoot`. */
export function createStandInDockerContainer(runtimeRoot: string, name: string): StandInContainer {
  const id = randomBytes(32).toString('hex');
  const parent = `${findCgroupHierarchy()}/sockscope-test-${randomBytes(4).toString('hex')}`;
  const scope = `${parent}/docker-${id}.scope`;
  mkdirSync(scope, { recursive: true });
  const stateDirectory = `${runtimeRoot}/var/lib/docker/containers/${id}`;
  mkdirSync(stateDirectory, { recursive: true });
  writeFileSync(`${stateDirectory}/config.v2.json`, JSON.stringify({ ID: id, Name: `/${name}`, Config: { Labels: {} } }));
  return {
    id,
    name,
    adopt: (pid) => writeFileSync(`${scope}/cgroup.procs`, String(pid)),
    remove() {
      // A cgroup can be removed once its processes are gone; the stopped listener leaves it empty.
      for (const directory of [scope, parent]) {
        try {
          rmdirSync(directory);
        } catch {
          // already gone
        }
      }
    },
  };
}
