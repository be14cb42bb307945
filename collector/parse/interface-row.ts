// The row the interface parsers (ifconfig, ip link) start from when they meet an interface's header line.
import type { InterfaceRow } from '../../lib/schemas/snapshot';

/** An interface as its header line shows it: name, flags and MTU; no MAC, addresses or counters yet. */
export function emptyInterfaceRow(name: string, flags: string[], mtu: number | null): InterfaceRow {
  return {
    name,
    flags,
    promiscuous: flags.includes('PROMISC'),
    mtu,
    mac: null,
    addresses: [],
    rxErrors: null,
    txErrors: null,
    rxDropped: null,
    txDropped: null,
  };
}
