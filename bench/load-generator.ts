// Simulated collectors, in the spirit of Fleet's osquery-perf: many virtual hosts, each with its own
// token, each posting snapshots of 200 sockets, 400 processes and 8 interfaces whose rows change
// between posts as the churn plan says (bench/host-model.ts, bench/churn-model.ts). Two upload paths,
// as a real collector has them: `delta` (the default: the changes against the last snapshot the
// server acknowledged, with `base` and each section's digest — what collector/delta.ts's DeltaEncoder
// sends; after a 409 the snapshot goes whole at once, as sendingDeltas does) and `full` (every post
// the whole snapshot). Open loop: posts leave at the target rate whatever the answers, so a slow
// server shows as latency, not as a politely reduced rate.
//
// The virtual collectors build their deltas from what they changed instead of hashing 600 rows per
// post (which would cost the load generator more CPU than the server it measures); a sample of hosts
// also runs a real DeltaEncoder on the same snapshots, and every delta of theirs is compared with it.
//
// As a library: runLoad(...) (bench/run.ts uses it). On its own, against a running server:
//   npx tsx bench/load-generator.ts --server http://127.0.0.1:3000 --api-token ssa_... \
//       --hosts 500 --rate 50 --duration 60 [--mode delta|full] [--mix real|old]
// enrols the hosts through the API (POST /api/v1/hosts), posts each host's first snapshot whole, then
// posts for --duration seconds (the real mix reads bench/results/churn.json).
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DeltaEncoder } from '@/collector/delta';
import { moveDigest, rowHash, type RowOf } from '@/lib/schemas/row-hash';
import type { Snapshot } from '@/lib/schemas/snapshot';
import type { SnapshotUpload } from '@/lib/schemas/snapshot-upload';
import { churnParts, loadChurn } from './churn';
import { describePlan, drawReplacements, oldMixPlan, realChurnPlan, replaceableRows, type ChurnPlan } from './churn-model';
import { buildProfile, createRandom } from './fleet';
import { benchSections, buildReplacementPool, HostRows, prepareProfile, type BenchSection, type PreparedProfile, type ReplacementPool } from './host-model';
import { summarize, type Summary } from './stats';

export type UploadMode = 'delta' | 'full';

export interface VirtualHost {
  index: number;
  /** The host's id in the database, when the bench seeded it (in-process ingest needs it). */
  id?: number;
  name: string;
  token: string;
  profile: number;
  /** The host's latest stored snapshot (seeded), or null before its first post. */
  snapshotId: string | null;
}

interface PendingChanges {
  /** Row positions whose current row appeared since the last acknowledged snapshot. */
  added: Set<number>;
  /** Hashes of acknowledged rows that ended since. */
  removed: string[];
}

interface HostState {
  host: VirtualHost;
  rows: HostRows;
  digests: Record<BenchSection, string>;
  /** The last snapshot the server acknowledged: the base of the next delta. */
  ackedId: string | null;
  pending: Record<BenchSection, PendingChanges>;
  busy: boolean;
  /** A real DeltaEncoder fed the same snapshots, on a sample of hosts. */
  shadow: DeltaEncoder | null;
}

export interface LoadOptions {
  /** One server, or several nodes: requests go round-robin, as a load balancer would spread them. */
  url: string | readonly string[];
  /** Snapshots per second, spread over all hosts (each host posts every hosts/rate seconds). */
  rate: number;
  durationS: number;
  mode?: UploadMode;
  /** Requests in flight beyond this are not sent and count as dropped: the server is not keeping up. */
  maxInFlight?: number;
  /** Called for each accepted snapshot: its id and when the 202 arrived (performance.timeOrigin-based ms). */
  onAccepted?: (id: string, acceptedAt: number, sentAt: number) => void;
  /** Tag that keeps idempotency keys unique across runs and steps. */
  tag?: string;
}

export interface LoadResult {
  targetRate: number;
  durationS: number;
  mode: UploadMode;
  mix: string;
  sent: number;
  completed: number;
  achievedRate: number;
  errors: number;
  dropped: number;
  statuses: Record<string, number>;
  latencyMs: Summary;
  /** Mean request body, bytes. */
  meanBodyBytes: number;
  /** Rows replaced per post (mean, all parts). */
  rowsReplacedPerPost: number;
  /** Deltas the server refused with 409 and that went whole at once (sendingDeltas does the same). */
  resentWhole: number;
  /** Deltas of the sampled hosts compared with a real DeltaEncoder's, and how many differed. */
  encoderChecks: { compared: number; differed: number; firstDifference: string | null };
  firstError: string | null;
  /**
   * This process's own event-loop delay over the window, ms (p99, max): a stall here (its garbage
   * collector, building a large body) shows in every latency measured, though the server was not slow.
   */
  clientDelayMs: { p99: number; max: number };
}

const now = () => performance.timeOrigin + performance.now();

// node:http with keep-alive rather than fetch: a third of fetch's CPU per request, which matters
// when the load generator shares two cores with the server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export function postJson(url: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Post {
  body: string;
  isDelta: boolean;
  /** For the sampled hosts: the whole snapshot, for the DeltaEncoder. */
  snapshot: Snapshot | null;
}

/** Profiles, their JSON and hashes, and the pools of new rows: built once, shared by every fleet. */
export interface FleetModel {
  profiles: PreparedProfile[];
  pool: ReplacementPool;
}

export function buildFleetModel(profileCount = 100): FleetModel {
  return { profiles: Array.from({ length: profileCount }, (_, index) => prepareProfile(index, buildProfile(index))), pool: buildReplacementPool() };
}

/** The churn plan of a mix: the real one reads bench/results/churn.json. */
export async function planFor(mix: 'real' | 'old', model: FleetModel): Promise<ChurnPlan> {
  if (mix === 'old') return oldMixPlan();
  const measurement = await loadChurn();
  if (!measurement) throw new Error('no bench/results/churn.json: run `npx tsx bench/churn.ts` (or the bench with --measure-churn) first');
  return realChurnPlan(measurement, replaceableRows(model.profiles));
}

const HOST_OS = '"os":"Linux 6.1.0-18-amd64 x86_64","kernel":"6.1.0-18-amd64"';

/** The fleet's state survives between steps and phases, so each host's rows carry over. */
export class Fleet {
  private readonly states: HostState[];
  private cursor = 0;
  private sequence = 0;
  private readonly random = createRandom(0xbe7c4);
  private replaced = 0;
  private posts = 0;
  readonly encoderChecks = { compared: 0, differed: 0, firstDifference: null as string | null };

  constructor(
    hosts: readonly VirtualHost[],
    private readonly model: FleetModel,
    public plan: ChurnPlan,
    /** One host in this many keeps a real DeltaEncoder (0: none). */
    shadowEvery = 50,
  ) {
    this.states = hosts.map((host) => {
      const profile = model.profiles[host.profile % model.profiles.length] as PreparedProfile;
      const rows = new HostRows(profile, model.pool, host.index);
      const state: HostState = {
        host,
        rows,
        digests: { sockets: profile.sections.sockets.digest, processes: profile.sections.processes.digest, interfaces: profile.sections.interfaces.digest },
        ackedId: host.snapshotId,
        pending: { sockets: emptyPending(), processes: emptyPending(), interfaces: emptyPending() },
        busy: false,
        shadow: shadowEvery > 0 && host.index % shadowEvery === 7 ? new DeltaEncoder() : null,
      };
      // The seeded snapshot is the profile itself, as the server holds it.
      if (state.shadow && host.snapshotId) state.shadow.acknowledge(this.snapshotOf(state, 'seed'), host.snapshotId);
      return state;
    });
  }

  get size(): number {
    return this.states.length;
  }

  /** Posts built and rows replaced so far, for per-run means. */
  get counters(): { posts: number; replaced: number } {
    return { posts: this.posts, replaced: this.replaced };
  }

  /** The next host in round-robin order that is not waiting for an answer. */
  nextHost(): HostState | null {
    for (let tries = 0; tries < this.states.length; tries += 1) {
      const state = this.states[this.cursor] as HostState;
      this.cursor = (this.cursor + 1) % this.states.length;
      if (!state.busy) return state;
    }
    return null;
  }

  /** Moves the host's rows on by the plan, then builds what its collector sends. */
  nextPost(state: HostState, mode: UploadMode, tag: string): Post {
    this.applyChurn(state);
    this.sequence += 1;
    const idempotencyKey = `${state.host.name}-${tag}-${this.sequence}`;
    const isDelta = mode === 'delta' && state.ackedId !== null;
    const snapshot = state.shadow ? this.snapshotOf(state, idempotencyKey) : null;
    if (isDelta && state.shadow && snapshot) this.compareWithEncoder(state, state.shadow.encode(snapshot));
    return { body: this.bodyOf(state, idempotencyKey, isDelta), isDelta, snapshot };
  }

  /** The same snapshot again, whole (after a 409). */
  wholePost(state: HostState, post: Post): Post {
    const key = /"idempotencyKey":"([^"]+)"/.exec(post.body)?.[1] ?? `${state.host.name}-whole-${this.sequence}`;
    return { body: this.bodyOf(state, key, false), isDelta: false, snapshot: post.snapshot };
  }

  /** The server stored the post as `id`: later deltas go against it. */
  acknowledge(state: HostState, post: Post, id: string): void {
    state.ackedId = id;
    for (const section of benchSections) state.pending[section] = emptyPending();
    if (state.shadow && post.snapshot) state.shadow.acknowledge(post.snapshot, id);
  }

  /** The server does not hold the state the delta was made against. */
  forget(state: HostState): void {
    state.ackedId = null;
    state.shadow?.forget();
  }

  private applyChurn(state: HostState): void {
    this.posts += 1;
    const counts = drawReplacements(this.plan, this.random);
    const ended: Record<BenchSection, string[]> = { sockets: [], processes: [], interfaces: [] };
    const appeared: Record<BenchSection, string[]> = { sockets: [], processes: [], interfaces: [] };
    for (const part of churnParts) {
      for (const change of state.rows.replaceRandom(part, counts[part], this.random)) {
        this.replaced += 1;
        const pending = state.pending[change.section];
        // A row that appeared after the last acknowledged snapshot never reached the server: nothing to remove.
        if (!pending.added.has(change.position)) pending.removed.push(change.endedHash);
        pending.added.add(change.position);
        ended[change.section].push(change.endedHash);
        appeared[change.section].push(change.appearedHash);
      }
    }
    for (const section of benchSections) {
      if (ended[section].length > 0) state.digests[section] = moveDigest(state.digests[section], appeared[section], ended[section]);
    }
  }

  private bodyOf(state: HostState, idempotencyKey: string, isDelta: boolean): string {
    const sections = benchSections.map((section) => {
      if (!isDelta) return `"${section}":${state.rows.sectionJson(section)}`;
      const pending = state.pending[section];
      const added = [...pending.added].map((position) => state.rows.jsonAt(section, position)).join(',');
      return `"${section}":{"added":[${added}],"removed":${JSON.stringify(pending.removed)},"digest":"${state.digests[section]}"}`;
    });
    return (
      `{"version":1,"host":{"name":"${state.host.name}",${HOST_OS}},"collectedAt":"${new Date().toISOString()}",` +
      `"idempotencyKey":"${idempotencyKey}","collectorVersion":"bench-1",${isDelta ? `"base":"${state.ackedId}",` : ''}${sections.join(',')}}`
    );
  }

  private snapshotOf(state: HostState, idempotencyKey: string): Snapshot {
    return {
      version: 1,
      host: { name: state.host.name, os: 'Linux 6.1.0-18-amd64 x86_64', kernel: '6.1.0-18-amd64' },
      collectedAt: new Date().toISOString(),
      idempotencyKey,
      collectorVersion: 'bench-1',
      sockets: state.rows.sectionRows('sockets'),
      processes: state.rows.sectionRows('processes'),
      interfaces: state.rows.sectionRows('interfaces'),
    };
  }

  private compareWithEncoder(state: HostState, upload: SnapshotUpload): void {
    this.encoderChecks.compared += 1;
    const differences: string[] = [];
    if (upload.base !== state.ackedId) differences.push(`base ${upload.base} ≠ ${state.ackedId}`);
    for (const section of benchSections) {
      const theirs = upload[section] as { added: RowOf[BenchSection][]; removed: string[]; digest: string } | undefined;
      if (!theirs || Array.isArray(theirs)) {
        differences.push(`${section}: the encoder sent it whole`);
        continue;
      }
      const pending = state.pending[section];
      const ours = { added: [...pending.added].map((position) => state.rows.hashAt(section, position)).sort(), removed: [...pending.removed].sort() };
      const theirAdded = theirs.added.map((row) => rowHash(section, row as never)).sort();
      if (theirs.digest !== state.digests[section]) differences.push(`${section} digest`);
      if (JSON.stringify(theirAdded) !== JSON.stringify(ours.added)) differences.push(`${section} added (${theirAdded.length} vs ${ours.added.length})`);
      if (JSON.stringify([...theirs.removed].sort()) !== JSON.stringify(ours.removed))
        differences.push(`${section} removed (${theirs.removed.length} vs ${ours.removed.length})`);
    }
    if (differences.length > 0) {
      this.encoderChecks.differed += 1;
      this.encoderChecks.firstDifference ??= `${state.host.name}: ${differences.join('; ')}`;
    }
  }
}

function emptyPending(): PendingChanges {
  return { added: new Set(), removed: [] };
}

export async function runLoad(fleet: Fleet, options: LoadOptions): Promise<LoadResult> {
  const mode = options.mode ?? 'delta';
  const maxInFlight = options.maxInFlight ?? 256;
  const tag = options.tag ?? Date.now().toString(36);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let dropped = 0;
  let inFlight = 0;
  let bodyBytes = 0;
  let resentWhole = 0;
  let firstError: string | null = null;
  const inFlightDone: Array<Promise<void>> = [];
  const countersBefore = fleet.counters;
  const checksBefore = { ...fleet.encoderChecks };

  const urls = typeof options.url === 'string' ? [options.url] : options.url;
  const send = async (state: HostState, url: string) => {
    let post = fleet.nextPost(state, mode, tag);
    state.busy = true;
    inFlight += 1;
    const sentAt = now();
    try {
      bodyBytes += post.body.length;
      let response = await postJson(`${url}/api/v1/snapshots`, { authorization: `Bearer ${state.host.token}` }, post.body);
      if (response.status === 409 && post.isDelta) {
        // The server's state is not the one the delta was made against: send it whole, as sendingDeltas does.
        fleet.forget(state);
        resentWhole += 1;
        post = fleet.wholePost(state, post);
        bodyBytes += post.body.length;
        response = await postJson(`${url}/api/v1/snapshots`, { authorization: `Bearer ${state.host.token}` }, post.body);
      }
      const finishedAt = now();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 202 || response.status === 200) {
        latencies.push(finishedAt - sentAt);
        completed += 1;
        const id = (JSON.parse(response.text) as { id: string }).id;
        fleet.acknowledge(state, post, id);
        options.onAccepted?.(id, finishedAt, sentAt);
      } else {
        errors += 1;
        firstError ??= `${response.status} ${response.text.slice(0, 300)}`;
      }
    } catch (error) {
      errors += 1;
      statuses.network = (statuses.network ?? 0) + 1;
      firstError ??= (error as Error).message;
    } finally {
      inFlight -= 1;
      state.busy = false;
    }
  };

  const clientDelay = monitorEventLoopDelay({ resolution: 10 });
  clientDelay.enable();
  const startedAt = now();
  const endAt = startedAt + options.durationS * 1000;
  // Every 5 ms, send what the schedule owes: exact average rate without a timer per request.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const current = now();
      const due = Math.min(options.rate * ((Math.min(current, endAt) - startedAt) / 1000), options.rate * options.durationS);
      while (sent + dropped < Math.floor(due)) {
        const state = inFlight < maxInFlight ? fleet.nextHost() : null;
        if (!state) {
          dropped += 1;
          continue;
        }
        sent += 1;
        inFlightDone.push(send(state, urls[sent % urls.length] as string));
      }
      if (current >= endAt) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  await Promise.all(inFlightDone);
  clientDelay.disable();
  const countersAfter = fleet.counters;
  const elapsedS = (now() - startedAt) / 1000;
  return {
    targetRate: options.rate,
    durationS: options.durationS,
    mode,
    mix: fleet.plan.mix,
    sent,
    completed,
    achievedRate: completed / Math.max(elapsedS, options.durationS),
    errors,
    dropped,
    statuses,
    latencyMs: summarize(latencies),
    clientDelayMs: { p99: clientDelay.percentile(99) / 1e6, max: clientDelay.max / 1e6 },
    meanBodyBytes: bodyBytes / Math.max(1, sent + resentWhole),
    rowsReplacedPerPost: (countersAfter.replaced - countersBefore.replaced) / Math.max(1, countersAfter.posts - countersBefore.posts),
    resentWhole,
    encoderChecks: {
      compared: fleet.encoderChecks.compared - checksBefore.compared,
      differed: fleet.encoderChecks.differed - checksBefore.differed,
      firstDifference: fleet.encoderChecks.firstDifference,
    },
    firstError,
  };
}

async function enrollThroughApi(server: string, apiToken: string, count: number, prefix: string): Promise<VirtualHost[]> {
  const hosts: VirtualHost[] = [];
  const enrollOne = async (index: number) => {
    const name = `${prefix}-${String(index).padStart(5, '0')}`;
    const response = await fetch(`${server}/api/v1/hosts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
      body: JSON.stringify({ name }),
    });
    if (response.status !== 201) throw new Error(`enrolling ${name}: ${response.status} ${await response.text()}`);
    hosts[index] = { index, name, token: ((await response.json()) as { token: string }).token, profile: index % 100, snapshotId: null };
  };
  for (let start = 0; start < count; start += 16) {
    await Promise.all(Array.from({ length: Math.min(16, count - start) }, (_, offset) => enrollOne(start + offset)));
  }
  return hosts;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'http://127.0.0.1:3000' },
      'api-token': { type: 'string' },
      hosts: { type: 'string', default: '100' },
      rate: { type: 'string', default: '10' },
      duration: { type: 'string', default: '30' },
      mode: { type: 'string', default: 'delta' },
      mix: { type: 'string', default: 'real' },
      prefix: { type: 'string', default: `perf-${Date.now().toString(36)}` },
    },
  });
  if (!values['api-token']) throw new Error('--api-token is required (npm run admin -- api-token USER prints one)');
  const count = Number(values.hosts);
  const model = buildFleetModel(Math.min(100, count));
  const plan = await planFor(values.mix === 'old' ? 'old' : 'real', model);
  console.log(`enrolling ${count} hosts through ${values.server}...; ${describePlan(plan)}`);
  const hosts = await enrollThroughApi(values.server, values['api-token'], count, values.prefix);
  const fleet = new Fleet(hosts, model, plan);
  // First posts store every row; do them at a gentle pace before measuring.
  console.log('first snapshot of every host...');
  await runLoad(fleet, { url: values.server, rate: Math.min(20, count), durationS: count / Math.min(20, count), mode: 'full' });
  const result = await runLoad(fleet, {
    url: values.server,
    rate: Number(values.rate),
    durationS: Number(values.duration),
    mode: values.mode === 'full' ? 'full' : 'delta',
  });
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
