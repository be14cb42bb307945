// Address helpers shared by the socket diff and the listener alerts.
import { isAnyAddress } from '@/lib/schemas/snapshot';

/** How far a bind address reaches: only this host, one network, or every network. */
export type BindScope = 0 | 1 | 2;
const LOOPBACK_SCOPE: BindScope = 0;
const SPECIFIC_SCOPE: BindScope = 1;
const ANY_SCOPE: BindScope = 2;

/** One spelling per address, so `*`, `0.0.0.0`, `::` and `[::]` compare equal as "any". */
export function normalizeAddress(address: string | null): string | null {
  if (address === null) return null;
  const unbracketed = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isAnyAddress(unbracketed)) return '*';
  return unbracketed.toLowerCase();
}

function isLoopbackAddress(address: string): boolean {
  const normalized = normalizeAddress(address) ?? '';
  return normalized === '::1' || normalized === 'localhost' || normalized.startsWith('127.') || normalized.startsWith('::ffff:127.');
}

export function getBindScope(address: string): BindScope {
  if (normalizeAddress(address) === '*') return ANY_SCOPE;
  if (isLoopbackAddress(address)) return LOOPBACK_SCOPE;
  return SPECIFIC_SCOPE;
}

/** `1.2.3.4:80`, `[::1]:53`, `*:22`; the address alone when the port is unknown. */
export function formatEndpoint(address: string, port: number | null): string {
  if (port === null) return address;
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  return `${host}:${port}`;
}
