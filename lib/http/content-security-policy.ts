// The dashboard's Content-Security-Policy. Scripts run only with this response's nonce (Next.js
// puts it on its own scripts), so text an attacker smuggles into a page can never execute.
// Styles: <style> elements need the nonce too, but style *attributes* are allowed inline — React
// and Recharts render element sizes and colours as style="..." on the server, and a style
// attribute cannot run code; without a script, CSS injection could at most restyle a page.

export interface PolicyOptions {
  nonce: string;
  /** `next dev` evaluates code and injects styles for hot reloading. */
  isDevelopment: boolean;
  /** Served over HTTPS: ask the browser to upgrade any stray http:// subresource. */
  isHttps: boolean;
}

export function pageContentSecurityPolicy({ nonce, isDevelopment, isHttps }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ''}`,
    isDevelopment ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // socket.io: same-origin WebSocket and long-polling.
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** JSON, CSV and metrics answers load nothing and are never framed. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function generateNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64');
}
