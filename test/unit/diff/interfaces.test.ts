import { describe, expect, it } from 'vitest';
import { diffSnapshots, summarizeDiff } from '@/lib/diff/diff-snapshots';
import type { InterfaceRow } from '@/lib/schemas/snapshot';
import { networkInterface } from '@/test/unit/diff/builders';

function diffInterfaces(before: InterfaceRow[], after: InterfaceRow[]) {
  return diffSnapshots({ interfaces: before }, { interfaces: after });
}

const promiscuous = (overrides: Partial<InterfaceRow> = {}) =>
  networkInterface({ promiscuous: true, flags: ['UP', 'BROADCAST', 'RUNNING', 'PROMISC', 'MULTICAST'], ...overrides });

describe('diffSnapshots: interfaces', () => {
  it('reports added and removed interfaces by name', () => {
    const eth0 = networkInterface();
    const tun0 = networkInterface({ name: 'tun0', mac: null, addresses: ['10.8.0.1/24'] });

    expect(diffInterfaces([eth0], [eth0, tun0]).interfaces.added).toEqual([tun0]);
    expect(diffInterfaces([eth0, tun0], [eth0]).interfaces.removed).toEqual([tun0]);
  });

  it('reports an interface entering promiscuous mode (the sniffer sign), with its flags', () => {
    const before = networkInterface();
    const after = promiscuous();

    const diff = diffInterfaces([before], [after]);
    expect(diff.interfaces.changed).toEqual([{ before, after, changes: ['flags', 'promiscuous'] }]);
    expect(summarizeDiff(diff)).toMatchObject({ promiscuousOn: ['eth0'], promiscuousOff: [] });
  });

  it('reports leaving promiscuous mode in promiscuousOff', () => {
    expect(summarizeDiff(diffInterfaces([promiscuous()], [networkInterface()]))).toMatchObject({
      promiscuousOn: [],
      promiscuousOff: ['eth0'],
    });
  });

  it('counts an interface that appears promiscuous as on, and one that vanishes promiscuous as off', () => {
    const summary = summarizeDiff(diffInterfaces([promiscuous({ name: 'eth1' })], [promiscuous({ name: 'eth2' })]));

    expect(summary.promiscuousOn).toEqual(['eth2']);
    expect(summary.promiscuousOff).toEqual(['eth1']);
  });

  it('compares flags and addresses as sets', () => {
    const before = networkInterface({ flags: ['UP', 'RUNNING'], addresses: ['10.0.0.1/8', 'fe80::1/64'] });
    const after = networkInterface({ flags: ['RUNNING', 'UP', 'UP'], addresses: ['FE80::1/64', '10.0.0.1/8'] });

    expect(diffInterfaces([before], [after]).interfaces.changed).toEqual([]);
  });

  it('names mtu, mac and addresses when they change', () => {
    const before = networkInterface();
    const after = networkInterface({ mtu: 9000, mac: '00:01:02:45:45:5c', addresses: ['192.168.1.21/24'] });

    expect(diffInterfaces([before], [after]).interfaces.changed[0]?.changes).toEqual(['mtu', 'mac', 'addresses']);
  });

  it('ignores error and drop counters, which move on every snapshot', () => {
    const before = networkInterface({ rxErrors: 0, txDropped: 3 });
    const after = networkInterface({ rxErrors: 12, txDropped: 40 });

    expect(diffInterfaces([before], [after]).interfaces.changed).toEqual([]);
  });
});
