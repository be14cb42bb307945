// The address a request came from, for per-address limits. server.ts writes the TCP peer into
// PEER_ADDRESS_HEADER on every request (overwriting whatever a client sent under that name);
// X-Forwarded-For counts only when SOCKSCOPE_TRUST_PROXY says a reverse proxy sets it.
export const PEER_ADDRESS_HEADER = 'x-sockscope-peer-address';

export function clientAddress(request: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get(PEER_ADDRESS_HEADER) || 'unknown';
}
