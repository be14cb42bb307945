// A webhook receiver on loopback for forwarding tests: answers each POST as a plan says (slowly,
// with an error, by cutting the connection) and counts what it accepted and how much at once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Answer =
  | { kind: 'accept'; delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; delayMs?: number }
  | { kind: 'reset'; delayMs?: number }
  /** Never answers (until the receiver closes): a request that times out. */
  | { kind: 'hang' };

export interface RequestSeen {
  alertId: number | null;
  /** 1 for the first request carrying this alert, 2 for the next … */
  attempt: number;
  /** 1 for the receiver's first request, … */
  sequence: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  requests: RequestSeen[];
  /** Alert id → how many times it was accepted (answered 2xx). */
  accepted: Map<number, number>;
  maxRequestsAtOnce: number;
  maxConnectionsAtOnce: number;
  close: () => Promise<void>;
}

export async function startWebhookReceiver(plan: (request: RequestSeen) => Answer = () => ({ kind: 'accept' })): Promise<WebhookReceiver> {
  const attemptsById = new Map<number, number>();
  const sockets = new Set<Socket>();
  let requestsAtOnce = 0;
  const receiver: Omit<WebhookReceiver, 'url' | 'port' | 'close'> = { requests: [], accepted: new Map(), maxRequestsAtOnce: 0, maxConnectionsAtOnce: 0 };
  const server: Server = createServer((request, response) => {
    requestsAtOnce += 1;
    receiver.maxRequestsAtOnce = Math.max(receiver.maxRequestsAtOnce, requestsAtOnce);
    let finished = false;
    const finish = () => {
      if (!finished) requestsAtOnce -= 1;
      finished = true;
    };
    response.on('close', finish);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const alertId = readAlertId(Buffer.concat(chunks).toString('utf8'));
      const attempt = alertId === null ? 1 : (attemptsById.get(alertId) ?? 0) + 1;
      if (alertId !== null) attemptsById.set(alertId, attempt);
      const seen: RequestSeen = { alertId, attempt, sequence: receiver.requests.length + 1 };
      receiver.requests.push(seen);
      void answer(plan(seen), alertId);
    });
    async function answer(planned: Answer, alertId: number | null) {
      if (planned.kind === 'hang') return;
      if (planned.delayMs) await sleep(planned.delayMs);
      if (planned.kind === 'reset') {
        finish();
        request.socket.destroy();
        return;
      }
      if (planned.kind === 'status') {
        response.writeHead(planned.status, planned.headers ?? {});
        response.end('not now');
        return;
      }
      // Counted before answering: once the sender sees the 2xx, the alert is delivered.
      if (alertId !== null) receiver.accepted.set(alertId, (receiver.accepted.get(alertId) ?? 0) + 1);
      response.writeHead(204);
      response.end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    receiver.maxConnectionsAtOnce = Math.max(receiver.maxConnectionsAtOnce, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/alerts`,
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function readAlertId(body: string): number | null {
  try {
    const id = (JSON.parse(body) as { alert?: { id?: unknown } }).alert?.id;
    return typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}
