// The protocol column of Linux, BSD and macOS netstat, and the line shapes every dialect shares.
import type { TransportProtocol } from './socket-row';

export interface NetstatProtocol {
  transport: TransportProtocol;
  isIpv6: boolean;
  /** tcp4, tcp46, ... exist only in BSD netstat. */
  isBsdOnly: boolean;
}

const protocol = (transport: TransportProtocol, isIpv6: boolean, isBsdOnly: boolean): NetstatProtocol => ({ transport, isIpv6, isBsdOnly });

// BSD prints the protocol as `%-3.3s%-2.2s` of name and family ("icmp" becomes icm4, "igmp" igm4).
export const NETSTAT_PROTOCOLS = new Map<string, NetstatProtocol>([
  ['tcp', protocol('tcp', false, false)],
  ['tcp6', protocol('tcp', true, false)],
  ['udp', protocol('udp', false, false)],
  ['udp6', protocol('udp', true, false)],
  ['raw', protocol('raw', false, false)],
  ['raw6', protocol('raw', true, false)],
  ['tcp4', protocol('tcp', false, true)],
  ['udp4', protocol('udp', false, true)],
  // A tcp46 socket is an IPv6 socket that also accepts IPv4 (IPV6_V6ONLY off).
  ['tcp46', protocol('tcp', true, true)],
  ['udp46', protocol('udp', true, true)],
  // FreeBSD lists TCP offloaded to the network card (TOE) as toe4 / toe6.
  ['toe4', protocol('tcp', false, true)],
  ['toe6', protocol('tcp', true, true)],
  ['toe46', protocol('tcp', true, true)],
  // Raw sockets of ICMP, IGMP and PIM.
  ['icm4', protocol('raw', false, true)],
  ['icm6', protocol('raw', true, true)],
  ['igm4', protocol('raw', false, true)],
  ['pim4', protocol('raw', false, true)],
  ['pim6', protocol('raw', true, true)],
]);

/** Sockets the snapshot model has no protocol for, and UNIX sockets in grepped dumps. */
export const SKIPPED_NETSTAT_PROTOCOLS = new Set([
  ...['unix', 'udpl', 'udpl6', 'udplite', 'udplite6', 'sctp', 'sctp4', 'sctp6', 'sctp46'],
  ...['divert', 'div4', 'div6', 'sdp4', 'sdp6', 'sdp46', 'kevt', 'kctl', 'mptcp'],
]);

/** Linux netstat -p run without root opens with a two-line notice in parentheses. */
export function isPermissionNotice(line: string): boolean {
  return /^\((Not all processes could be identified|No info could be read)/.test(line) || /^\s*will not be shown, you would have to be root/.test(line);
}

/** BSD netstat's note that the socket list changed while it was read. */
export function isChangeNotice(line: string): boolean {
  return /^Some \S+ sockets may have been (created|deleted|created or deleted)\.?\s*$/.test(line);
}

export function isStateName(text: string): boolean {
  return /^[A-Z][A-Z0-9_]*$/.test(text);
}
