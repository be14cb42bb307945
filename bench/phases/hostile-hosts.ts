// (5, 6) One host misbehaving while the rest of the fleet posts (issue 11): other hosts' ingest
// latency and /healthz latency, in a window without it (baseline) and in a window with it:
//   - the largest snapshot the server accepts (50,000 sockets, the cap, and processes up to what fits
//     the 16 MiB body limit), posted again and again, one at a time, every row different from the
//     previous post (the most rows to hash, close and open);
//   - 33 slow uploads at once: each sends its headers and 100 bytes of a 1 MB body, then nothing.
//     One-at-a-time per host answers 32 of them 429 at once; the one being received gets 408 when
//     it has been silent for 10 s.
import http from 'node:http';
import net from 'node:net';
import { MAX_PROCESSES, MAX_SOCKETS, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';
import { postJson, runLoad, type Fleet, type LoadResult } from '../load-generator';
import { summarize, type Summary } from '../stats';

export const HOSTILE_P99_GOAL_MS = 100;
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export interface WindowResult {
  others: LoadResult;
  healthz: { count: number; errors: number; ms: Summary; firstError: string | null };
}

export interface LargestSnapshotResult {
  sockets: number;
  processes: number;
  bodyBytes: number;
  /** The first post of the big host (every row new), before the window. */
  primeMs: number;
  primeStatus: number;
  baseline: WindowResult;
  loaded: WindowResult;
  bigPosts: { count: number; statuses: Record<string, number>; ms: Summary };
}

export interface SlowUploadsResult {
  uploads: number;
  loaded: WindowResult;
  answers: { statuses: Record<string, number>; ms408: Summary; ms429: Summary; unanswered: number };
}

const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function getOnce(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: healthAgent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** /healthz every 100 ms for the window, as a load balancer would probe it. */
async function probeHealth(url: string, durationS: number): Promise<WindowResult['healthz']> {
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const endAt = performance.now() + durationS * 1000;
  const probes: Promise<void>[] = [];
  while (performance.now() < endAt) {
    const started = performance.now();
    probes.push(
      getOnce(`${url}/healthz`).then(
        (status) => {
          if (status === 200) samples.push(performance.now() - started);
          else {
            errors += 1;
            firstError ??= `HTTP ${status} after ${Math.round(performance.now() - started)} ms`;
          }
        },
        (error: unknown) => {
          errors += 1;
          firstError ??= (error as Error).message;
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await Promise.all(probes);
  return { count: samples.length + errors, errors, ms: summarize(samples), firstError };
}

async function loadWindow(url: string, fleet: Fleet, rate: number, durationS: number, tag: string): Promise<WindowResult> {
  const [others, healthz] = await Promise.all([runLoad(fleet, { url, rate, durationS, mode: 'delta', tag }), probeHealth(url, durationS)]);
  return { others, healthz };
}

/** Fixed width, so that each post's key is written over the last one's in the body's bytes. */
const BIG_KEY_WIDTH = 40;
const bigKey = (post: number) => `largest-${post}-${Date.now()}-`.padEnd(BIG_KEY_WIDTH, '0');

/**
 * The largest allowed snapshot, two versions whose every row differs, as bytes: a post then costs
 * the bench no 15 MB string (whose copies and garbage collections stalled the bench's event loop,
 * and with it the other hosts' timings, by up to 210 ms).
 */
function buildLargestBodies(hostName: string, maxBytes = MAX_SNAPSHOT_BYTES): { bodies: [Buffer, Buffer]; sockets: number; processes: number } {
  const socketsOf = (version: number): SocketRow[] =>
    Array.from({ length: MAX_SOCKETS }, (_, index) => ({
      proto: 'tcp',
      localAddress: `10.77.${(index >> 8) & 255}.${index & 255}`,
      localPort: 443,
      remoteAddress: `100.${version}.${(index >> 8) & 255}.${index & 255}`,
      remotePort: 1024 + ((index * 7 + version) % 60_000),
      state: 'ESTABLISHED',
      pid: 3000 + (index % 64),
      process: 'haproxy',
      user: 'haproxy',
      uid: 110,
      inode: version * 10_000_000 + index,
    }));
  const processesOf = (version: number, count: number): ProcessRow[] =>
    Array.from({ length: count }, (_, index) => ({
      pid: 100_000 + index,
      ppid: 1,
      user: 'app',
      uid: 1001,
      command: 'worker',
      args: `/usr/bin/worker --queue batch --shard ${index} --generation ${version}`,
      startedAt: new Date(Date.UTC(2026, 10, 1) + version * 1000).toISOString(),
    }));
  const bodyOf = (version: number, processCount: number) =>
    JSON.stringify({
      version: 1,
      host: { name: hostName, os: 'Linux 6.1.0-18-amd64 x86_64' },
      collectedAt: new Date().toISOString(),
      idempotencyKey: bigKey(version),
      sockets: socketsOf(version),
      processes: processesOf(version, processCount),
      interfaces: [
        {
          name: 'eth0',
          flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'],
          promiscuous: false,
          mtu: 1500,
          mac: '02:42:ac:11:00:02',
          addresses: ['10.77.0.1/16'],
        },
      ],
    });
  // Processes up to what fits, a little under the limit (each post's key and time differ slightly).
  let processes = MAX_PROCESSES;
  while (Buffer.byteLength(bodyOf(2, processes)) > maxBytes - 4096) processes -= 1000;
  return { bodies: [Buffer.from(bodyOf(1, processes)), Buffer.from(bodyOf(2, processes))], sockets: MAX_SOCKETS, processes };
}

export async function runLargestSnapshotPhase(options: {
  url: string;
  fleet: Fleet;
  bigHost: { name: string; token: string };
  othersRate: number;
  durationS: number;
  baseline: WindowResult;
  log: (line: string) => void;
}): Promise<LargestSnapshotResult> {
  const { url, bigHost } = options;
  const built = buildLargestBodies(bigHost.name);
  let version = 0;
  // A fresh idempotency key per post, the rows alternating between the two versions. One post is in
  // flight at a time, so its body can be written over for the next.
  const keyAt = built.bodies.map((bytes) => bytes.indexOf('"idempotencyKey":"') + '"idempotencyKey":"'.length);
  const nextBody = () => {
    version += 1;
    const bytes = built.bodies[version % 2] as Buffer;
    bytes.write(bigKey(version), keyAt[version % 2] as number, 'latin1');
    return bytes;
  };
  const post = async () => {
    const started = performance.now();
    const response = await postJson(`${url}/api/v1/snapshots`, { authorization: `Bearer ${bigHost.token}` }, nextBody());
    return { status: response.status, ms: performance.now() - started, text: response.text };
  };
  options.log(
    `  largest snapshot: ${built.sockets.toLocaleString('en')} sockets + ${built.processes.toLocaleString('en')} processes, ${(built.bodies[0].length / 1024 / 1024).toFixed(1)} MiB; first post (every row new)…`,
  );
  const prime = await post();
  options.log(`    first post: ${prime.status} in ${Math.round(prime.ms)} ms${prime.status >= 300 ? `: ${prime.text.slice(0, 200)}` : ''}`);

  const bigStatuses: Record<string, number> = {};
  const bigMs: number[] = [];
  let windowOpen = true;
  const poster = (async () => {
    while (windowOpen) {
      const result = await post().catch((error: unknown) => ({ status: 0, ms: 0, text: (error as Error).message }));
      bigStatuses[result.status] = (bigStatuses[result.status] ?? 0) + 1;
      bigMs.push(result.ms);
    }
  })();
  const loaded = await loadWindow(url, options.fleet, options.othersRate, options.durationS, 'largest');
  windowOpen = false;
  await poster;
  return {
    sockets: built.sockets,
    processes: built.processes,
    bodyBytes: built.bodies[0].length,
    primeMs: prime.ms,
    primeStatus: prime.status,
    baseline: options.baseline,
    loaded,
    bigPosts: { count: bigMs.length, statuses: bigStatuses, ms: summarize(bigMs) },
  };
}

export function runBaselineWindow(url: string, fleet: Fleet, rate: number, durationS: number): Promise<WindowResult> {
  return loadWindow(url, fleet, rate, durationS, 'baseline');
}

/** One upload that sends its headers and 100 bytes of a 1 MB body, then nothing; resolves with the answer's status and time. */
function slowUpload(url: string, token: string): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    let isSettled = false;
    const done = (status: number) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done(0), 30_000);
    socket.on('connect', () => {
      socket.write(
        `POST /api/v1/snapshots HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n` +
          `{"version":1,"host":{"name":"slow-host"},"collectedAt":"2026-12-01T00:00:00.000Z","idempotencyKey":"slow-upload-1","sockets":[`.slice(0, 100),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) done(Number(match[1]));
    });
    socket.on('error', () => done(-1));
    socket.on('close', () => done(answer ? -2 : -3));
  });
}

export async function runSlowUploadsPhase(options: {
  url: string;
  fleet: Fleet;
  slowHost: { token: string };
  uploads: number;
  othersRate: number;
  durationS: number;
}): Promise<SlowUploadsResult> {
  const uploads = Array.from({ length: options.uploads }, () => slowUpload(options.url, options.slowHost.token));
  const loaded = await loadWindow(options.url, options.fleet, options.othersRate, options.durationS, 'slow');
  const answers = await Promise.all(uploads);
  const statuses: Record<string, number> = {};
  for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  return {
    uploads: options.uploads,
    loaded,
    answers: {
      statuses,
      ms408: summarize(answers.filter((answer) => answer.status === 408).map((answer) => answer.ms)),
      ms429: summarize(answers.filter((answer) => answer.status === 429).map((answer) => answer.ms)),
      unanswered: answers.filter((answer) => answer.status <= 0).length,
    },
  };
}
