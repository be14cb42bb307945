// The collector's one POST (collector/send.ts, node:http) against real loopback servers: what each
// answer means for the spool, and that a redirect is never followed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postSnapshot } from '@/collector/send';

const token = 'sst_send_test_token_81c2';
const servers: Server[] = [];

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server answering every request with `answer`; what it received is kept in order. */
async function startServer(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('one POST of a snapshot', () => {
  it('sends the body with the token and answers delivered with the server answer', async () => {
    const server = await startServer((_request, response) => response.writeHead(202, { 'content-type': 'application/json' }).end('{"id":"17"}'));
    const body = JSON.stringify({ host: { name: 'web-01 ünïcode' } });
    const outcome = await postSnapshot(body, { server: `${server.url}/`, token });
    expect(outcome).toEqual({ kind: 'delivered', status: 202, body: '{"id":"17"}' });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/api/v1/snapshots', body });
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('never follows a redirect: the snapshot stays for a retry and nothing reaches the other address', async () => {
    const elsewhere = await startServer((_request, response) => response.writeHead(202).end('{"id":"1"}'));
    const server = await startServer((_request, response) => response.writeHead(307, { location: `${elsewhere.url}/api/v1/snapshots` }).end());
    const outcome = await postSnapshot('{}', { server: server.url, token });
    expect(outcome).toMatchObject({ kind: 'retry', status: 307, reason: `HTTP 307 redirect to ${elsewhere.url}/api/v1/snapshots (check the server URL)` });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('reads Retry-After from a 503 and keeps only the start of a long error body', async () => {
    const busy = await startServer((_request, response) => response.writeHead(503, { 'retry-after': '7' }).end('busy'));
    expect(await postSnapshot('{}', { server: busy.url, token })).toEqual({ kind: 'retry', status: 503, reason: 'HTTP 503', retryAfterMs: 7_000 });
    const refusing = await startServer((_request, response) => response.writeHead(400).end('x'.repeat(100_000)));
    const outcome = await postSnapshot('{}', { server: refusing.url, token });
    expect(outcome.kind).toBe('rejected');
    expect(outcome.kind === 'rejected' && outcome.body).toBe(`${'x'.repeat(2_000)}…`);
  });

  it('names why a POST got no answer: nobody listening, or no answer in time', async () => {
    const closed = await startServer(() => undefined);
    const closedUrl = closed.url;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    expect(await postSnapshot('{}', { server: closedUrl, token })).toEqual({ kind: 'retry', status: null, reason: 'ECONNREFUSED', retryAfterMs: null });
    const silent = await startServer(() => undefined);
    expect(await postSnapshot('{}', { server: silent.url, token, timeoutMs: 200 })).toEqual({
      kind: 'retry',
      status: null,
      reason: 'no answer within 200 ms',
      retryAfterMs: null,
    });
  });
});
