// Serves one App Router route handler (a function from Request to Response) straight from
// node:http, skipping Next.js's per-request pipeline (routing, request wrapping, response
// compression). For POST /api/v1/snapshots, the hottest path: the pipeline costs about as much CPU
// as the ingest itself (bench/README.md). The handler stays the single implementation of the
// contract; only the transport around it changes. server.ts routes the ingest POST here.
import type { IncomingMessage, ServerResponse } from 'node:http';

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
    const requestBody = hasBody ? streamBody(request) : null;
    const init: RequestInit & { duplex?: 'half' } = {
      method: request.method,
      headers,
      ...(requestBody ? { body: requestBody.stream, duplex: 'half' } : {}),
    };
    const answer = await handler(new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, init));
    // Answered before the whole body arrived (401, 413, 503): discard the rest.
    requestBody?.discardRest();
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

interface StreamedBody {
  stream: ReadableStream<Uint8Array>;
  /** Drops whatever of the body has not been read, as Node.js does for its own handlers. */
  discardRest(): void;
}

/**
 * The request body as a web stream, read on demand. Unlike Readable.toWeb, cancelling it does not
 * destroy the connection: a collector that got 413 or 503 keeps its keep-alive connection.
 */
function streamBody(request: IncomingMessage): StreamedBody {
  let detach = () => {};
  const discardRest = () => {
    detach();
    if (!request.complete) request.resume();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      };
      const onEnd = () => {
        detach();
        controller.close();
      };
      const onError = (error: Error) => {
        detach();
        controller.error(error);
      };
      detach = () => {
        request.off('data', onData).off('end', onEnd).off('error', onError);
      };
      request.on('data', onData).on('end', onEnd).on('error', onError);
      request.pause();
    },
    pull() {
      request.resume();
    },
    cancel: discardRest,
  });
  return { stream, discardRest };
}
