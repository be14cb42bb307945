// Headers on every answer (next.config.ts gives them to everything Next.js serves; server.ts to the
// ingest route it serves itself). Pages get their Content-Security-Policy, with a per-request
// nonce, from proxy.ts; JSON, CSV and metrics answers get the fixed API policy.
import { API_CONTENT_SECURITY_POLICY } from './content-security-policy';

export interface HeaderEntry {
  key: string;
  value: string;
}

export const SECURITY_HEADERS: readonly HeaderEntry[] = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

export const API_HEADERS: readonly HeaderEntry[] = [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }];

/** Everything an API answer carries, as one header record for node:http. */
export function apiAnswerHeaders(): Record<string, string> {
  return Object.fromEntries([...SECURITY_HEADERS, ...API_HEADERS].map(({ key, value }) => [key.toLowerCase(), value]));
}
