// Building socket rows the same way in every socket parser: unknown fields null, never guessed.
import { socketSchema, type SocketRow } from '../../lib/schemas/snapshot';
import { checkRow } from './check-rows';
import { isDecimal, parseUid } from './numbers';

export type TransportProtocol = 'tcp' | 'udp' | 'raw';

type RequiredSocketFields = Pick<SocketRow, 'proto' | 'localAddress' | 'localPort'>;

/** A complete, schema-checked row; `line` is where the socket was read, for the error if it does not fit. */
export function makeSocketRow(fields: RequiredSocketFields & Partial<SocketRow>, line: number): SocketRow {
  const row: SocketRow = {
    proto: fields.proto,
    localAddress: fields.localAddress,
    localPort: fields.localPort,
    remoteAddress: fields.remoteAddress ?? null,
    remotePort: fields.remotePort ?? null,
    state: fields.state ?? null,
    pid: fields.pid ?? null,
    process: fields.process ?? null,
    user: fields.user ?? null,
    uid: fields.uid ?? null,
    inode: fields.inode ?? null,
  };
  return checkRow(socketSchema, row, line);
}

export function toSocketProtocol(transport: TransportProtocol, isIpv6: boolean): SocketRow['proto'] {
  return isIpv6 ? `${transport}6` : transport;
}

/** Tools print a login name, or the numeric uid when they have no name for it (or were asked not to). */
export function userOrUid(token: string, line: number): Pick<SocketRow, 'user' | 'uid'> {
  return isDecimal(token) ? { user: null, uid: parseUid(token, line) } : { user: token, uid: null };
}
