// A tiny stand-in for POST /api/v1/snapshots that records what arrives and can be switched between
// healthy, failing, slow and stopped, on the same port throughout (like a server restart).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerMode = 'up' | '503' | '429' | 'slow' | 'reject400';

export interface ReceivedRequest {
  idempotencyKey: string | null;
  status: number;
  authorization: string | undefined;
}

export class SnapshotServer {
  mode: ServerMode = 'up';
  /** How long `slow` waits before answering (the snapshot is still stored, as a real server would). */
  slowMs = 5_000;
  readonly received: ReceivedRequest[] = [];
  /** Idempotency keys in the order they were first stored. */
  readonly storedKeys: string[] = [];
  /** The stored snapshots themselves, parsed, in the same order. */
  readonly storedSnapshots: Record<string, unknown>[] = [];
  /** Requests whose body has arrived and whose answer has not been sent yet. */
  inFlight = 0;
  private server: http.Server;
  private port = 0;

  private constructor(private readonly token: string) {
    this.server = this.createServer();
  }

  static async start(token: string): Promise<SnapshotServer> {
    const server = new SnapshotServer(token);
    await server.listen(0);
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops listening like a crashed server, after answering what already arrived. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.port);
  }

  /** Stops for good, cutting slow requests short. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private createServer(): http.Server {
    return http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.inFlight += 1;
        void this.answer(request, Buffer.concat(chunks).toString('utf8'), response).finally(() => {
          this.inFlight -= 1;
        });
      });
    });
  }

  private async answer(request: http.IncomingMessage, body: string, response: http.ServerResponse): Promise<void> {
    const key = readKey(body);
    const record = (status: number, answer: unknown, headers: Record<string, string> = {}) => {
      this.received.push({ idempotencyKey: key, status, authorization: request.headers.authorization });
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(answer));
    };
    if (request.headers.authorization !== `Bearer ${this.token}`) return record(401, { error: 'unauthorized' });
    if (this.mode === '503') return record(503, { error: 'unavailable' });
    if (this.mode === '429') return record(429, { error: 'slow down' }, { 'retry-after': '0' });
    if (this.mode === 'reject400') return record(400, { error: 'invalid snapshot', issues: ['sockets.0.localPort'] });
    if (this.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    if (!key) return record(400, { error: 'no idempotencyKey' });
    if (this.storedKeys.includes(key)) return record(200, { id: this.storedKeys.indexOf(key) + 1, changed: {} });
    this.storedKeys.push(key);
    this.storedSnapshots.push(JSON.parse(body) as Record<string, unknown>);
    return record(202, { id: this.storedKeys.length, changed: { sockets: true } });
  }
}

function readKey(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { idempotencyKey?: unknown };
    return typeof parsed.idempotencyKey === 'string' ? parsed.idempotencyKey : null;
  } catch {
    return null;
  }
}
