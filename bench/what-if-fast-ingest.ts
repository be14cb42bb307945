// Bench only (npm run bench -- --what-if-fast-ingest): what the server.ts change proposed in
// bench/README.md would do, measured without editing server.ts. Preloaded after tsx, it wraps
// node:http's createServer so that POST /api/v1/snapshots goes to the route handler directly
// (lib/ingest/serve-outside-next.ts) and every other request to server.ts's own listener.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { API_CONTENT_SECURITY_POLICY } from '@/lib/http/content-security-policy';
import { serveOutsideNext, type RouteHandler } from '@/lib/ingest/serve-outside-next';

// The headers next.config.ts gives /api/* answers.
const apiHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
};

let route: Promise<RouteHandler> | null = null;
const originalCreateServer = http.createServer;

function createServer(...args: unknown[]): http.Server {
  const listener = args.find((arg): arg is RequestListener => typeof arg === 'function');
  const options = args.find((arg) => typeof arg === 'object' && arg !== null) as http.ServerOptions | undefined;
  const wrapped = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && request.url === '/api/v1/snapshots') {
      route ??= import('@/app/api/v1/snapshots/route').then((module) => module.POST);
      void route.then((post) => serveOutsideNext(request, response, post, apiHeaders));
      return;
    }
    listener?.(request, response);
  };
  return options ? originalCreateServer(options, wrapped) : originalCreateServer(wrapped);
}

http.createServer = createServer as typeof http.createServer;
syncBuiltinESMExports();
console.log('[bench] what-if: POST /api/v1/snapshots served outside Next.js');
