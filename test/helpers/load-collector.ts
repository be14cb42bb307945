// One synthetic collector as its own process, for fault tests: the collector's real run loop and
// spool, collecting a small snapshot of `--host` every `--interval-ms` for `--count` snapshots,
// then draining its spool until empty (or `--drain-timeout-ms`). Every idempotency key is written
// to `--keys-file` when collected, before it is spooled; the summary is printed as JSON on stdout.
//   node --import tsx test/helpers/load-collector.ts --server URL --token T --host NAME \
//     --spool DIR --keys-file FILE --count N --interval-ms MS [--drain-timeout-ms MS]
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sleep } from '../../collector/abort';
import { drainSpool } from '../../collector/delivery';
import { createLogger } from '../../collector/log';
import { runCollector } from '../../collector/run-loop';
import { postSnapshot } from '../../collector/send';
import { Spool } from '../../collector/spool';
import type { Snapshot } from '../../lib/schemas/snapshot';

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    token: { type: 'string' },
    host: { type: 'string' },
    spool: { type: 'string' },
    'keys-file': { type: 'string' },
    count: { type: 'string' },
    'interval-ms': { type: 'string' },
    'drain-timeout-ms': { type: 'string', default: '120000' },
  },
});
const server = values.server!;
const token = values.token!;
const host = values.host!;
const count = Number(values.count);
const intervalMs = Number(values['interval-ms']);
const backoff = { baseMs: 200, capMs: 2_000 };

let collected = 0;
function collect(stop: AbortController): Snapshot {
  collected += 1;
  const collectedAt = new Date();
  const idempotencyKey = `${host}-${collectedAt.getTime()}-${collected}`;
  appendFileSync(values['keys-file']!, `${idempotencyKey}\n`);
  if (collected >= count) stop.abort();
  // Every fifth snapshot opens or closes a listener: diffs and alerts are written too.
  const extra = Math.floor(collected / 5) % 2 === 1 ? [8000 + (collected % 3)] : [];
  return {
    version: 1,
    host: { name: host, os: 'Linux 6.1 x86_64' },
    collectedAt: collectedAt.toISOString(),
    idempotencyKey,
    collectorVersion: 'fault-test',
    sockets: [22, ...extra].map((port) => ({
      proto: 'tcp' as const,
      localAddress: '0.0.0.0',
      localPort: port,
      remoteAddress: null,
      remotePort: null,
      state: 'LISTEN',
      pid: 100 + port,
      process: port === 22 ? 'sshd' : 'httpd',
      user: 'root',
      uid: 0,
    })),
    processes: [{ pid: 122, ppid: 1, user: 'root', uid: 0, command: 'sshd', args: `/usr/sbin/sshd -D ${collected % 2}`, startedAt: null }],
  };
}

async function main(): Promise<void> {
  const log = createLogger({ secrets: [token] });
  const spool = await Spool.open({ dir: values.spool!, log });
  const stop = new AbortController();
  const summary = await runCollector({
    server,
    token,
    intervalMs,
    timeoutMs: 15_000,
    once: false,
    spool,
    log,
    stopSignal: stop.signal,
    backoff,
    shutdownGraceMs: 15_000,
    collect: async () => collect(stop),
  });
  // Collection is over; deliver what is left, as the next run would.
  const deadline = Date.now() + Number(values['drain-timeout-ms']);
  let delivered = summary.delivered;
  let failedAttempts = 0;
  while ((await spool.list()).length > 0 && Date.now() < deadline) {
    const result = await drainSpool({ spool, log, send: (body) => postSnapshot(body, { server, token, timeoutMs: 15_000 }) });
    delivered += result.delivered;
    if (result.retry) await sleep(Math.min(backoff.capMs, Math.max(backoff.baseMs * 2 ** failedAttempts++, result.retry.retryAfterMs ?? 0)));
    else failedAttempts = 0;
  }
  const left = (await spool.list()).length;
  const rejected = (await spool.listRejected()).length;
  process.stdout.write(`${JSON.stringify({ host, collected, delivered, left, rejected })}\n`);
  process.exitCode = left === 0 && rejected === 0 ? 0 : 1;
}

void main();
