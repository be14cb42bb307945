// Serves one App Router route handler (a function from Request to Response) straight from
// node:http, skipping Next.js's per-request pipeline (routing, request wrapping, response
// compression). For POST /api/v1/snapshots, the hottest path: the pipeline costs about as much CPU
// as the ingest itself (bench/README.md). The handler stays the single implementation of the
// contract; only the transport around it changes. Not imported by the app itself: server.ts opts in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type RouteHandler = (request: Request) => Promise<Response>;

export async function serveOutsideNext(
  request: IncomingMessage,
  response: ServerResponse,
  handler: RouteHandler,
  /** Headers Next.js would have added from next.config.ts (security headers). */
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<void> {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else if (value !== undefined) headers.set(name, value);
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    // The body streams through, so the handler's own size limit still applies while reading.
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
    };
    const answer = await handler(new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, init));
    const body = Buffer.from(await answer.arrayBuffer());
    const outgoing: Record<string, string> = { ...extraHeaders };
    answer.headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    outgoing['content-length'] = String(body.byteLength);
    response.writeHead(answer.status, outgoing);
    response.end(body);
  } catch (error) {
    console.error('[sockscope] unexpected error:', error);
    if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=utf-8', ...extraHeaders });
    response.end(JSON.stringify({ error: { code: 'internal', message: 'Internal server error.' } }));
  }
}
