// A separate process holding N dashboard connections (socket.io-client, session cookie, websocket
// transport, like test/helpers/realtime-client.ts). It learns from the parent when each POST was
// answered (202) and measures, per client and per `snapshot` event, how long after that the event
// arrived. Run by bench/run.ts over IPC; its own CPU use is reported so it is not mistaken for the server's.
import { io, type Socket } from 'socket.io-client';
import { summarize } from './stats';

interface Config {
  urls: string[];
  cookie: string;
  clients: number;
}

type ParentMessage = { type: 'accepted'; batch: Array<[string, number, number]> } | { type: 'start' } | { type: 'report' } | { type: 'close' };

const now = () => performance.timeOrigin + performance.now();
const config = JSON.parse(process.env.BENCH_LIVE_CONFIG ?? '{}') as Config;
const sockets: Socket[] = [];
const acceptedAt = new Map<string, { accepted: number; sent: number }>();
const early = new Map<string, number[]>();
let afterAccepted: number[] = [];
/** Per snapshot id: first and last arrival over all clients, and how many clients got it. */
let arrivals = new Map<string, { first: number; last: number; count: number }>();
let afterSent: number[] = [];
let received = 0;
let diffEvents = 0;
let acceptedCount = 0;
let measuring = false;
let cpuAtStart = process.cpuUsage();
let startedAt = now();

function record(id: string, at: number): void {
  const arrival = arrivals.get(id);
  if (arrival) {
    arrival.first = Math.min(arrival.first, at);
    arrival.last = Math.max(arrival.last, at);
    arrival.count += 1;
  } else {
    arrivals.set(id, { first: at, last: at, count: 1 });
  }
  const known = acceptedAt.get(id);
  if (!known) {
    // The event can beat the 202 to the collector: the server publishes before it answers.
    const list = early.get(id);
    if (list) list.push(at);
    else early.set(id, [at]);
    return;
  }
  afterAccepted.push(at - known.accepted);
  afterSent.push(at - known.sent);
}

async function connectAll(): Promise<void> {
  for (let index = 0; index < config.clients; index += 1) {
    const socket = io(config.urls[index % config.urls.length] as string, {
      transports: ['websocket'],
      extraHeaders: { cookie: config.cookie },
      reconnection: false,
      forceNew: true,
    });
    socket.on('snapshot', (event: { id: string }) => {
      if (!measuring) return;
      received += 1;
      record(event.id, now());
    });
    socket.on('diff', () => {
      if (measuring) diffEvents += 1;
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    sockets.push(socket);
  }
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      measuring = true;
      afterAccepted = [];
      afterSent = [];
      arrivals = new Map();
      received = 0;
      diffEvents = 0;
      acceptedCount = 0;
      early.clear();
      acceptedAt.clear();
      cpuAtStart = process.cpuUsage();
      startedAt = now();
      return;
    case 'accepted':
      for (const [id, accepted, sent] of message.batch) {
        acceptedCount += 1;
        acceptedAt.set(id, { accepted, sent });
        const pending = early.get(id);
        if (pending) {
          early.delete(id);
          for (const at of pending) {
            afterAccepted.push(at - accepted);
            afterSent.push(at - sent);
          }
        }
      }
      return;
    case 'report': {
      measuring = false;
      const cpu = process.cpuUsage(cpuAtStart);
      const elapsedS = (now() - startedAt) / 1000;
      process.send?.({
        type: 'report',
        clients: sockets.length,
        accepted: acceptedCount,
        received,
        expected: acceptedCount * sockets.length,
        diffEvents,
        afterAcceptedMs: summarize(afterAccepted),
        afterSentMs: summarize(afterSent),
        // How long one event takes to reach every dashboard, first to last.
        fanOutMs: summarize([...arrivals.values()].filter((arrival) => arrival.count === sockets.length).map((arrival) => arrival.last - arrival.first)),
        clientCpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsedS) * 100,
      });
      return;
    }
    case 'close':
      for (const socket of sockets) socket.close();
      process.exit(0);
  }
});

connectAll()
  .then(() => process.send?.({ type: 'ready', clients: sockets.length }))
  .catch((error: unknown) => {
    process.send?.({ type: 'error', message: (error as Error).message });
    process.exit(1);
  });
