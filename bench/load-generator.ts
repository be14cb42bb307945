// Simulated collectors, in the spirit of Fleet's osquery-perf: many virtual hosts, each with its own
// token, each posting realistic snapshots (200 sockets, 400 processes, 8 interfaces) on its own
// schedule. Open loop: requests leave at the target rate whether or not earlier ones have been
// answered, so a slow server shows up as latency, not as a politely reduced rate.
//
// As a library: runLoad(...) (bench/run.ts uses it). On its own, against a running server:
//   npx tsx bench/load-generator.ts --server http://127.0.0.1:3000 --api-token ssa_... \
//       --hosts 500 --rate 50 --duration 60 [--changed 0.05]
// enrols the hosts through the API (POST /api/v1/hosts), then posts for --duration seconds.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { churnListener, churnProcess, churnSocket } from './fleet';
import { buildProfiles, type Profile } from './seed';
import { summarize, type Summary } from './stats';

export interface VirtualHost {
  index: number;
  name: string;
  token: string;
  profile: number;
}

interface HostState {
  host: VirtualHost;
  /** JSON of the rows this host has on top of its profile (empty when it matches its profile). */
  extraSockets: string;
  extraProcesses: string;
  busy: boolean;
}

export interface LoadOptions {
  /** One server, or several nodes: requests go round-robin, as a load balancer would spread them. */
  url: string | readonly string[];
  /** Snapshots per second, spread over all hosts (each host posts every hosts/rate seconds). */
  rate: number;
  durationS: number;
  /** Share of snapshots that carry a change (new connections, sometimes a new program or listener). */
  changedShare?: number;
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
  sent: number;
  completed: number;
  achievedRate: number;
  changedSent: number;
  errors: number;
  dropped: number;
  statuses: Record<string, number>;
  latencyMs: Summary;
  changedLatencyMs: Summary;
  firstError: string | null;
}

export const now = () => performance.timeOrigin + performance.now();

// node:http with keep-alive rather than fetch: a third of fetch's CPU per request, which matters
// when the load generator shares two cores with the server it measures.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

/** POST as the collector's fetch does it (same accept-encoding, so the server compresses as it would). */
function postJson(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            let payload = Buffer.concat(chunks);
            const encoding = response.headers['content-encoding'];
            if (encoding === 'gzip') payload = gunzipSync(payload);
            else if (encoding === 'deflate') payload = inflateSync(payload);
            else if (encoding === 'br') payload = brotliDecompressSync(payload);
            resolve({ status: response.statusCode ?? 0, text: payload.toString('utf8') });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The load generator's state survives between steps, so a host's "current" content carries over. */
export class Fleet {
  private readonly states: HostState[];
  private cursor = 0;
  private changeCounter = 0;
  private sequence = 0;

  constructor(
    hosts: readonly VirtualHost[],
    private readonly profiles: readonly Profile[],
  ) {
    this.states = hosts.map((host) => ({ host, extraSockets: '', extraProcesses: '', busy: false }));
  }

  get size(): number {
    return this.states.length;
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

  /** The body a collector would send now; with `change`, the host's content moves on first. */
  body(state: HostState, change: boolean, tag: string): string {
    if (change) this.applyChange(state);
    const profile = this.profiles[state.host.profile] as Profile;
    this.sequence += 1;
    const collectedAt = new Date().toISOString();
    return (
      `{"version":1,"host":{"name":"${state.host.name}","os":"Linux 6.1.0-18-amd64 x86_64","kernel":"6.1.0-18-amd64"},` +
      `"collectedAt":"${collectedAt}","idempotencyKey":"${state.host.name}-${tag}-${this.sequence}","collectorVersion":"bench-1",` +
      `"sockets":${profile.json.socketsOpen}${state.extraSockets}],"processes":${profile.json.processesOpen}${state.extraProcesses}],` +
      `"interfaces":${profile.json.interfaces}}`
    );
  }

  private applyChange(state: HostState): void {
    this.changeCounter += 1;
    const change = this.changeCounter;
    const connections = 1 + (change % 3);
    const rows = Array.from({ length: connections }, (_, extra) => churnSocket(state.host.index, change, extra));
    // One change in ten opens a listener (a listener.opened alert); three in ten start a program.
    if (change % 10 === 0) rows.push(churnListener(change));
    state.extraSockets = rows.map((row) => `,${JSON.stringify(row)}`).join('');
    if (change % 10 < 3) state.extraProcesses = `,${JSON.stringify(churnProcess(change))}`;
  }
}

export async function runLoad(fleet: Fleet, options: LoadOptions): Promise<LoadResult> {
  const changedShare = options.changedShare ?? 0.05;
  const maxInFlight = options.maxInFlight ?? 256;
  const tag = options.tag ?? Date.now().toString(36);
  const latencies: number[] = [];
  const changedLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let completed = 0;
  let changedSent = 0;
  let errors = 0;
  let dropped = 0;
  let inFlight = 0;
  let firstError: string | null = null;
  const inFlightDone: Array<Promise<void>> = [];

  const urls = typeof options.url === 'string' ? [options.url] : options.url;
  const post = async (state: HostState, change: boolean, url: string) => {
    const body = fleet.body(state, change, tag);
    state.busy = true;
    inFlight += 1;
    const sentAt = now();
    try {
      const response = await postJson(`${url}/api/v1/snapshots`, { authorization: `Bearer ${state.host.token}` }, body);
      const text = response.text;
      const finishedAt = now();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 202 || response.status === 200) {
        (change ? changedLatencies : latencies).push(finishedAt - sentAt);
        completed += 1;
        if (options.onAccepted) options.onAccepted((JSON.parse(text) as { id: string }).id, finishedAt, sentAt);
      } else {
        errors += 1;
        firstError ??= `${response.status} ${text.slice(0, 300)}`;
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
        const change = Math.random() < changedShare;
        if (change) changedSent += 1;
        sent += 1;
        inFlightDone.push(post(state, change, urls[sent % urls.length] as string));
      }
      if (current >= endAt) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  await Promise.all(inFlightDone);
  const elapsedS = (now() - startedAt) / 1000;
  const all = latencies.concat(changedLatencies);
  return {
    targetRate: options.rate,
    durationS: options.durationS,
    sent,
    completed,
    achievedRate: completed / Math.max(elapsedS, options.durationS),
    changedSent,
    errors,
    dropped,
    statuses,
    latencyMs: summarize(all),
    changedLatencyMs: summarize(changedLatencies),
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
    hosts[index] = { index, name, token: ((await response.json()) as { token: string }).token, profile: index % 100 };
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
      changed: { type: 'string', default: '0.05' },
      prefix: { type: 'string', default: `perf-${Date.now().toString(36)}` },
    },
  });
  if (!values['api-token']) throw new Error('--api-token is required (npm run admin -- api-token USER prints one)');
  const count = Number(values.hosts);
  const profiles = buildProfiles(Math.min(100, count));
  console.log(`enrolling ${count} hosts through ${values.server}...`);
  const hosts = await enrollThroughApi(values.server, values['api-token'], count, values.prefix);
  const fleet = new Fleet(hosts, profiles);
  // First posts store every section; do them at a gentle pace before measuring.
  console.log('first snapshot of every host...');
  await runLoad(fleet, { url: values.server, rate: Math.min(20, count), durationS: count / Math.min(20, count), changedShare: 0 });
  const result = await runLoad(fleet, { url: values.server, rate: Number(values.rate), durationS: Number(values.duration), changedShare: Number(values.changed) });
  console.log(JSON.stringify(result, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
