// Next.js 16 Proxy (formerly middleware): a fresh CSP nonce for every page, so the dashboard runs
// no inline script it did not write itself. API routes are left out: they render no HTML and
// their bodies (snapshots of up to 16 MB) must not be buffered by the proxy.
import { NextResponse, type NextRequest } from 'next/server';
import { generateNonce, pageContentSecurityPolicy } from '@/lib/http/content-security-policy';

export function proxy(request: NextRequest) {
  // Next.js answers a path with a broken percent-escape (/hosts/%ff) with a bare 500; say what it is.
  if (!isDecodable(request.nextUrl.pathname)) return badPath(request.nextUrl.pathname);
  if (request.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  const nonce = generateNonce();
  const isHttps = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  const policy = pageContentSecurityPolicy({ nonce, isDevelopment: process.env.NODE_ENV === 'development', isHttps });
  // Next.js reads the nonce from the request's policy header while rendering.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  if (isHttps) response.headers.set('strict-transport-security', 'max-age=31536000');
  return response;
}

function isDecodable(pathname: string): boolean {
  try {
    for (const segment of pathname.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

function badPath(pathname: string): Response {
  const error = { code: 'bad_request', message: 'The path has a malformed percent-escape.', fields: [{ path: '(path)', message: 'invalid percent-encoding' }] };
  if (pathname.startsWith('/api/')) return Response.json({ error }, { status: 400, headers: { 'cache-control': 'no-store' } });
  return new Response('Bad request: the path has a malformed percent-escape.', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export const config = {
  matcher: [
    // API paths only when they carry a percent-escape of a non-ASCII byte (a body is never buffered for the others).
    '/api/(.*%.*)',
    // Every page answer, prefetches included: a browser's `Purpose: prefetch` gets the same HTML as a
    // visit, and RSC answers carry script URLs too (Next.js's CSP example skips prefetches; we do not).
    '/((?!api/|healthz|metrics|_next/static|_next/image|favicon.ico|socket.io).*)',
  ],
};
