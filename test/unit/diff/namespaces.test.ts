// A container's network namespace is another place: its eth0 is not the host's, and its :80 is not
// the host's :80. Rows carry `netns` (and `container`) only when not in the host's own namespace.
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '@/lib/alerts/rules/evaluate-alerts';
import { diffSnapshots } from '@/lib/diff/diff-snapshots';
import type { Container } from '@/lib/schemas/snapshot';
import { listener, networkInterface } from '@/test/unit/diff/builders';

const web: Container = { runtime: 'docker', id: 'f'.repeat(64), name: 'web-1' };
const inWeb = { netns: 4026532301, container: web };

describe('network namespaces in diffs and alerts', () => {
  it("keeps a listener in a container apart from the host's on the same port, and names the container", () => {
    const hostNginx = listener({ localPort: 80, process: 'nginx' });
    const containerNginx = listener({ localPort: 80, process: 'nginx', pid: 5100, ...inWeb });
    const diff = diffSnapshots({ sockets: [hostNginx] }, { sockets: [hostNginx, containerNginx] });
    expect(diff.sockets.added).toEqual([containerNginx]);
    expect(diff.sockets.changed).toEqual([]);
    const alerts = evaluateAlerts({
      hostName: 'k8s-01',
      hostLabels: [],
      diff,
      previous: { sockets: [hostNginx] },
      current: { sockets: [hostNginx, containerNginx] },
      expectedListeners: [],
      promiscuousRules: [],
    });
    expect(alerts.map((alert) => alert.message)).toEqual(['k8s-01: new listener tcp 0.0.0.0:80 (nginx, pid 5100, user root, container docker web-1)']);
  });

  it("alerts for an eth0 in a container turning promiscuous, not for the host's", () => {
    const hostEth0 = networkInterface();
    const containerEth0 = networkInterface({ ...inWeb });
    const sniffing = { ...containerEth0, promiscuous: true, flags: [...containerEth0.flags, 'PROMISC'] };
    const before = { interfaces: [hostEth0, containerEth0] };
    const after = { interfaces: [hostEth0, sniffing] };
    const diff = diffSnapshots(before, after);
    expect(diff.interfaces.changed).toHaveLength(1);
    const alerts = evaluateAlerts({ hostName: 'k8s-01', hostLabels: [], diff, previous: before, current: after, expectedListeners: [], promiscuousRules: [] });
    expect(alerts.map((alert) => [alert.kind, alert.message])).toEqual([
      ['interface.promiscuous_on', 'k8s-01: interface eth0 (container docker web-1) entered promiscuous mode'],
    ]);
  });
});
