// Parser for /proc/net/tcp, tcp6, udp, udp6, raw and raw6: one line per socket, addresses in host-order hex.
// A busy host has tens of thousands of lines, so the parsing is left to the regular expression engine.
import { decodeHexIpv4, decodeHexIpv6, type ByteOrder } from './addresses';

export type InetProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'raw' | 'raw6';

/** One line of a /proc/net socket table, before its owning process is known. */
export interface KernelSocket {
  proto: InetProtocol;
  localAddress: string;
  /** For a raw socket, the IP protocol it receives (1 for ICMP), as `ss -w` and `netstat -w` print it. */
  localPort: number;
  /** `0.0.0.0` / `::` when the socket has no peer (a TCP listener, an unconnected UDP socket), as ss prints it. */
  remoteAddress: string;
  /** null when the socket has no peer (the kernel prints port 0, ss prints `*`). */
  remotePort: number | null;
  /** Kernel state name for TCP; for UDP and raw ESTABLISHED when connected, null when not. */
  state: string | null;
  /** The socket's uid column: the credentials it was created with. */
  socketUid: number;
  /** null for sockets without an inode (TIME_WAIT and SYN_RECV mini-sockets): nobody holds them. */
  inode: number | null;
}

/** include/net/tcp_states.h, named as netstat and the kernel's own sources name them. */
const TCP_STATES: Readonly<Record<number, string>> = {
  0x01: 'ESTABLISHED',
  0x02: 'SYN_SENT',
  0x03: 'SYN_RECV',
  0x04: 'FIN_WAIT1',
  0x05: 'FIN_WAIT2',
  0x06: 'TIME_WAIT',
  0x07: 'CLOSE',
  0x08: 'CLOSE_WAIT',
  0x09: 'LAST_ACK',
  0x0a: 'LISTEN',
  0x0b: 'CLOSING',
  0x0c: 'NEW_SYN_RECV',
  0x0d: 'BOUND_INACTIVE',
};

const TCP_TIME_WAIT = 0x06;
const UDP_CONNECTED = 0x01;

export function tcpStateName(code: number): string | null {
  return TCP_STATES[code] ?? null;
}

/** UDP (and raw) reuse TCP_ESTABLISHED for a connected socket and TCP_CLOSE (07) for an unconnected one. */
export function udpStateName(code: number): string | null {
  return code === UDP_CONNECTED ? 'ESTABLISHED' : null;
}

// `sl: local remote st tx:rx tr:when retrnsmt uid timeout inode ...` (tcp4_seq_show, udp4_format_sock,
// raw_sock_seq_show and their IPv6 twins). One regular expression per table scans the whole text
// natively, which is several times faster than walking characters in JavaScript on a cold start;
// lines that do not match are skipped.
const HEX = '[0-9A-Fa-f]';
const lineFormat = (addressDigits: number) =>
  new RegExp(
    `^ *\\d+: (${HEX}{${addressDigits}}):(${HEX}{4}) (${HEX}{${addressDigits}}):(${HEX}{4}) (${HEX}{2}) ` +
      `${HEX}+:${HEX}+ ${HEX}+:${HEX}+ ${HEX}+ +(\\d+) +-?\\d+ +(\\d+)`,
    'gm',
  );
const IPV4_LINE = lineFormat(8);
const IPV6_LINE = lineFormat(32);

function isIpv6Table(proto: InetProtocol): boolean {
  return proto === 'tcp6' || proto === 'udp6' || proto === 'raw6';
}

function isTcpTable(proto: InetProtocol): boolean {
  return proto === 'tcp' || proto === 'tcp6';
}

export interface ParseProcNetOptions {
  /** false: TIME_WAIT lines are passed over before their addresses are decoded (most of a busy host's table). */
  includeTimeWait?: boolean;
}

/** Every socket line of one table; the header and malformed lines are skipped, never guessed at. */
export function parseProcNetSockets(
  text: string,
  proto: InetProtocol,
  byteOrder: ByteOrder,
  { includeTimeWait = true }: ParseProcNetOptions = {},
): KernelSocket[] {
  const isIpv6 = isIpv6Table(proto);
  const isTcp = isTcpTable(proto);
  const stateName = isTcp ? tcpStateName : udpStateName;
  const skipsTimeWait = isTcp && !includeTimeWait;
  const decode = isIpv6 ? decodeHexIpv6 : decodeHexIpv4;
  // Addresses repeat (127.0.0.1, ::), so each distinct one is decoded once per table.
  const addresses = new Map<string, string | null>();
  const decodeCached = (hex: string) => {
    let address = addresses.get(hex);
    if (address === undefined) {
      address = decode(hex, byteOrder);
      addresses.set(hex, address);
    }
    return address;
  };

  const sockets: KernelSocket[] = [];
  for (const match of text.matchAll(isIpv6 ? IPV6_LINE : IPV4_LINE)) {
    const [, localHex, localPortHex, remoteHex, remotePortHex, stateHex, uidText, inodeText] = match;
    if (localHex === undefined || remoteHex === undefined || uidText === undefined || inodeText === undefined) continue;
    const stateCode = Number.parseInt(stateHex ?? '', 16);
    if (skipsTimeWait && stateCode === TCP_TIME_WAIT) continue;
    const localAddress = decodeCached(localHex);
    const remoteAddress = decodeCached(remoteHex);
    if (localAddress === null || remoteAddress === null) continue;
    const remotePort = Number.parseInt(remotePortHex ?? '', 16);
    const inode = Number(inodeText);
    sockets.push({
      proto,
      localAddress,
      localPort: Number.parseInt(localPortHex ?? '', 16),
      remoteAddress,
      remotePort: remotePort === 0 ? null : remotePort,
      state: stateName(stateCode),
      socketUid: Number(uidText),
      inode: inode === 0 ? null : inode,
    });
  }
  return sockets;
}
