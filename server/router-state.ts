// Next.js's client router sends the state of the page it shows in the Next-Router-State-Tree header.
// A malformed one (its client never sends such) makes Next.js answer a bare 500; the header never
// reaches proxy.ts (Next.js strips router headers before the proxy runs), so the server checks it
// here, with Next.js's own parser: refused is exactly what its renderer would fail on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state';

const ROUTER_STATE_HEADER = 'next-router-state-tree';

/** True when the request carries a router state header Next.js cannot use; it has then been answered 400. */
export function refuseMalformedRouterState(request: IncomingMessage, response: ServerResponse): boolean {
  const header = request.headers[ROUTER_STATE_HEADER];
  if (header === undefined) return false;
  try {
    parseAndValidateFlightRouterState(header);
    return false;
  } catch {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    response.end('Bad request: the Next-Router-State-Tree header is malformed.\n');
    return true;
  }
}
