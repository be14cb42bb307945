// ADDRESS:PORT and ADDRESS.PORT as the socket tools print them.
import { parsePort } from './numbers';
import { ParseError, quote } from './parse-error';

export interface Endpoint {
  address: string;
  port: number | null;
  /** The address was written in brackets (`[::1]:631`), which only IPv6 addresses are. */
  isBracketed: boolean;
}

/**
 * `10.0.0.1:22`, `*:*`, `:::22` (the port follows the last colon), `[::1]:631`, `[fe80::1%eth0]:546`,
 * and ss's interface suffix `0.0.0.0%lo:53` / `[fe80::1]%eth0:546` (kept on the address, like a zone).
 */
export function parseColonEndpoint(text: string, line: number, portHint: string): Endpoint {
  if (text.startsWith('[')) return parseBracketedEndpoint(text, line, portHint);
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new ParseError(line, `expected ADDRESS:PORT, got ${quote(text)}`);
  const address = text.slice(0, colon);
  return { address, port: parsePort(text.slice(colon + 1), line, portHint), isBracketed: false };
}

function parseBracketedEndpoint(text: string, line: number, portHint: string): Endpoint {
  const match = /^\[([^\]]+)\](%[^:\s]+)?:([^:]+)$/.exec(text);
  if (match === null) throw new ParseError(line, `expected [ADDRESS]:PORT, got ${quote(text)}`);
  const [, address = '', zone = '', port = ''] = match;
  return { address: address + zone, port: parsePort(port, line, portHint), isBracketed: true };
}

/** BSD netstat: `*.22`, `127.0.0.1.25`, `::1.53`, `fe80::1%lo0.123`, `*.*` — the port follows the last dot. */
export function parseDotEndpoint(text: string, line: number, portHint: string): Endpoint {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) throw new ParseError(line, `expected ADDRESS.PORT, got ${quote(text)}`);
  return { address: text.slice(0, dot), port: parsePort(text.slice(dot + 1), line, portHint), isBracketed: false };
}
