// ADDRESS:PORT and ADDRESS.PORT as the socket tools print them, numeric or name-resolved.
import { classifyAddress } from './host-addresses';
import { MAX_PORT } from './numbers';
import { ParseError, quote } from './parse-error';
import { isServiceName, portOfService } from './service-names';
import type { AddressKind, TransportProtocol } from './socket-row';

export interface Endpoint {
  address: string;
  port: number | null;
  /** The address was written in brackets (`[::1]:631`), which only IPv6 addresses are. */
  isBracketed: boolean;
  /** null for a numeric address or `*`; `name` for a host name; `truncated` for text the tool cut. */
  addressKind: AddressKind | null;
  /** A service name the bundled table has no port for (the port is then null). */
  service: string | null;
}

/** socketSchema's bound on localAddress and remoteAddress. */
const MAX_ADDRESS_LENGTH = 64;

/** An endpoint split where the tool put its separator, nothing checked yet. */
export interface EndpointText {
  text: string;
  host: string;
  port: string;
  isBracketed: boolean;
}

/**
 * Where the tool may have cut an endpoint to fit its column: `host` when only the address can be short
 * (the port is whole), `whole` when the cut may have reached the port too.
 */
export type Truncation = 'none' | 'host' | 'whole';

/**
 * `10.0.0.1:22`, `*:*`, `:::22` (the port follows the last colon), `[::1]:631`, `[fe80::1%eth0]:546`,
 * `localhost:smtp`, and ss's interface suffix `0.0.0.0%lo:53` / `[fe80::1]%eth0:546` (kept on the address, like a zone).
 */
export function splitColonEndpoint(text: string, line: number): EndpointText {
  if (text.startsWith('[')) {
    const match = /^\[([^\]]+)\](%[^:\s]+)?:([^:]+)$/.exec(text);
    if (match === null) throw new ParseError(line, `expected [ADDRESS]:PORT, got ${quote(text)}`);
    const [, address = '', zone = '', port = ''] = match;
    return { text, host: address + zone, port, isBracketed: true };
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new ParseError(line, `expected ADDRESS:PORT, got ${quote(text)}`);
  return { text, host: text.slice(0, colon), port: text.slice(colon + 1), isBracketed: false };
}

/** BSD netstat: `*.22`, `127.0.0.1.25`, `::1.53`, `fe80::1%lo0.123`, `*.*`, `localhost.smtp`: the port follows the last dot. */
export function splitDotEndpoint(text: string, line: number): EndpointText {
  const dot = text.lastIndexOf('.');
  if (dot <= 0 || dot === text.length - 1) throw new ParseError(line, `expected ADDRESS.PORT, got ${quote(text)}`);
  return { text, host: text.slice(0, dot), port: text.slice(dot + 1), isBracketed: false };
}

export function readEndpoint(parts: EndpointText, transport: TransportProtocol, line: number, truncation: Truncation = 'none'): Endpoint {
  // The port itself may be cut: keep the text as printed, never a port number that was never there.
  if (truncation === 'whole')
    return { address: parts.text.slice(0, MAX_ADDRESS_LENGTH), port: null, isBracketed: false, addressKind: 'truncated', service: null };
  const { port, service } = readPort(parts.port, transport, line);
  const kind = truncation === 'host' ? 'truncated' : classifyAddress(parts.host);
  if (kind === 'invalid') throw new ParseError(line, `expected an address or a host name, got ${quote(parts.host)}`);
  // A host name longer than the snapshot holds is kept cut, and said to be, rather than refusing the file.
  if (parts.host.length > MAX_ADDRESS_LENGTH) {
    return { address: parts.host.slice(0, MAX_ADDRESS_LENGTH), port, isBracketed: parts.isBracketed, addressKind: 'truncated', service };
  }
  return { address: parts.host, port, isBracketed: parts.isBracketed, addressKind: kind, service };
}

export function parseColonEndpoint(text: string, line: number, transport: TransportProtocol): Endpoint {
  return readEndpoint(splitColonEndpoint(text, line), transport, line);
}

/** `*` (any port) is null; a number; or a service name, null when the bundled table does not know it. */
function readPort(token: string, transport: TransportProtocol, line: number): { port: number | null; service: string | null } {
  if (token === '*') return { port: null, service: null };
  if (/^\d+$/.test(token)) {
    const port = Number(token);
    if (port > MAX_PORT) throw new ParseError(line, `port ${port > 1e9 ? quote(token) : port} out of range`);
    return { port, service: null };
  }
  if (!isServiceName(token) || token.length > 64) throw new ParseError(line, `port ${quote(token)} is neither a number nor a service name`);
  const port = portOfService(token, transport);
  return { port, service: port === null ? token : null };
}
