// Service and protocol names as name-resolving tools print them (`*:ssh`, `localhost.smtp`, `[::]:ipv6-icmp`),
// back to numbers through the bundled IANA table: never through the parsing machine's own /etc/services.
import { IP_PROTOCOL_NUMBERS, TCP_SERVICE_PORTS, UDP_SERVICE_PORTS } from './service-table.generated';
import type { TransportProtocol } from './socket-row';

/** What getservbyport(3) may print: letters, digits, `-`, `_`, `+`, `/` (`914c/g`), never only digits. */
export function isServiceName(token: string): boolean {
  return /^[A-Za-z0-9][\w+/-]*$/.test(token) && !/^\d+$/.test(token);
}

/**
 * The port of a printed service name, or null when the table does not know it. A raw socket's "port" is
 * its IP protocol, which netstat and ss print by its /etc/protocols name.
 */
export function portOfService(name: string, transport: TransportProtocol): number | null {
  const tables =
    transport === 'raw' ? [IP_PROTOCOL_NUMBERS] : transport === 'tcp' ? [TCP_SERVICE_PORTS, UDP_SERVICE_PORTS] : [UDP_SERVICE_PORTS, TCP_SERVICE_PORTS];
  for (const table of tables) {
    const port = table.get(name) ?? table.get(name.toLowerCase());
    if (port !== undefined) return port;
  }
  return null;
}
