// Building socket rows the same way in every socket parser: unknown fields null, never guessed.
import { socketSchema, type SocketRow } from '../../lib/schemas/snapshot';
import { checkRow } from './check-rows';
import type { Endpoint } from './endpoints';
import { isDecimal, parseUid } from './numbers';

export type TransportProtocol = 'tcp' | 'udp' | 'raw';
export type AddressKind = NonNullable<SocketRow['localAddressKind']>;

type RequiredSocketFields = Pick<SocketRow, 'proto' | 'localAddress' | 'localPort'>;
type OptionalEndpointField = 'localAddressKind' | 'remoteAddressKind' | 'localService' | 'remoteService';
type EndpointColumns = Pick<SocketRow, 'localAddress' | 'localPort' | 'remoteAddress' | 'remotePort' | OptionalEndpointField>;
const OPTIONAL_ENDPOINT_FIELDS: readonly OptionalEndpointField[] = ['localAddressKind', 'remoteAddressKind', 'localService', 'remoteService'];

/**
 * A complete, schema-checked row; `line` is where the socket was read, for the error if it does not fit.
 * Address kinds and service names appear only when the tool printed a name, so numeric output reads as before.
 */
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
  for (const field of OPTIONAL_ENDPOINT_FIELDS) {
    const value = fields[field];
    if (value !== null && value !== undefined) Object.assign(row, { [field]: value });
  }
  return checkRow(socketSchema, row, line);
}

/** The address, port, kind and unknown service of both ends, as makeSocketRow takes them. */
export function endpointFields(local: Endpoint, remote: Endpoint | null): EndpointColumns {
  return {
    localAddress: local.address,
    localPort: local.port,
    localAddressKind: local.addressKind,
    localService: local.service,
    remoteAddress: remote?.address ?? null,
    remotePort: remote?.port ?? null,
    remoteAddressKind: remote?.addressKind ?? null,
    remoteService: remote?.service ?? null,
  };
}

export function toSocketProtocol(transport: TransportProtocol, isIpv6: boolean): SocketRow['proto'] {
  return isIpv6 ? `${transport}6` : transport;
}

/** Tools print a login name, or the numeric uid when they have no name for it (or were asked not to). */
export function userOrUid(token: string, line: number): Pick<SocketRow, 'user' | 'uid'> {
  return isDecimal(token) ? { user: null, uid: parseUid(token, line) } : { user: token, uid: null };
}
