// Package alerts: installed, removed, and another version (upgraded, or downgraded at a higher
// level) — one alert per kind per snapshot however many packages, none for a host's first list or
// for expected packages coming or changing.
import { describe, expect, it } from 'vitest';
import { readAlertSummary } from '@/lib/alerts/rules/alert-summary';
import { DOWNGRADE_LEVEL } from '@/lib/alerts/rules/package-alerts';
import { evaluateAlerts, type ExpectedPackage } from '@/lib/alerts/rules/evaluate-alerts';
import { diffSnapshots } from '@/lib/diff/diff-snapshots';
import { compareVersions } from '@/lib/diff/package-versions';
import type { SnapshotSections } from '@/lib/diff/types';
import type { PackageRow } from '@/lib/schemas/snapshot';

const deb = (name: string, version: string): PackageRow => ({ name, version, arch: 'amd64', source: 'dpkg', installedAt: null });

function evaluate(before: SnapshotSections, after: SnapshotSections, expectedPackages: ExpectedPackage[] = [], hostLabels: string[] = ['web']) {
  return evaluateAlerts({
    hostName: 'web-01',
    hostLabels,
    diff: diffSnapshots(before, after),
    previous: before,
    current: after,
    expectedListeners: [],
    promiscuousRules: [],
    expectedPackages,
  });
}

describe('package versions', () => {
  it.each([
    ['dpkg', '1.2.3-1', '1.2.3-2', -1],
    ['dpkg', '1:1.0', '2.0', 1],
    ['dpkg', '1.0~rc1', '1.0', -1],
    ['dpkg', '3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.9', 1],
    ['dpkg', '2.10a', '2.10+1', -1],
    ['rpm', '3.0.7-27.el9', '3.0.7-28.el9', -1],
    ['rpm', '1:1.0-1', '2.0-1', 1],
    ['rpm', '1.0~rc1-1', '1.0-1', -1],
    ['rpm', '1.0^git1-1', '1.0-1', 1],
    ['rpm', '1.0a-1', '1.0.1-1', -1],
    ['apk', '1.2.3-r0', '1.2.3-r1', -1],
    ['apk', '1.2.3_rc1-r0', '1.2.3-r0', -1],
    ['apk', '1.2.3_p1-r0', '1.2.3-r0', 1],
    ['apk', '1.10-r0', '1.9-r0', 1],
  ] as const)('%s: %s vs %s', (source, a, b, sign) => {
    expect(Math.sign(compareVersions(source, a, b))).toBe(sign);
    expect(Math.sign(compareVersions(source, b, a))).toBe(-sign);
  });
});

describe('package alerts', () => {
  const base = [deb('openssl', '3.0.2-0ubuntu1.9'), deb('bash', '5.1-6'), deb('curl', '7.81.0-1')];

  it('raises one alert for one package installed, removed or upgraded, naming it', () => {
    const alerts = evaluate({ packages: base }, { packages: [deb('openssl', '3.0.2-0ubuntu1.10'), deb('curl', '7.81.0-1'), deb('netcat-openbsd', '1.218-4')] });
    expect(alerts.map((alert) => [alert.kind, alert.level, alert.message])).toEqual([
      ['package.installed', 10, 'web-01: package installed: netcat-openbsd 1.218-4 (amd64)'],
      ['package.changed', 10, 'web-01: package upgraded: openssl 3.0.2-0ubuntu1.9 → 3.0.2-0ubuntu1.10'],
      ['package.removed', 10, 'web-01: package removed: bash 5.1-6 (amd64)'],
    ]);
  });

  it('makes the 40 packages of one upgrade one alert that lists them, and a downgrade a higher level', () => {
    const many = Array.from({ length: 40 }, (_, index) => deb(`lib${index}`, '1.0-1'));
    const upgraded = many.map((row) => ({ ...row, version: '1.0-2' }));
    const alerts = evaluate({ packages: many }, { packages: upgraded });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'package.changed', level: 10 });
    expect(alerts[0]?.message).toMatch(/^web-01: 40 packages upgraded or downgraded \(lib0 1\.0-1 → 1\.0-2 \(upgraded\), /);
    expect(readAlertSummary(alerts[0]?.subject)).toMatchObject({ count: 40, moreCount: 0 });
    const downgraded = evaluate({ packages: [...many, deb('openssl', '3.0.2-2')] }, { packages: [...upgraded, deb('openssl', '3.0.2-1')] });
    expect(downgraded).toHaveLength(1);
    expect(downgraded[0]?.level).toBe(DOWNGRADE_LEVEL);
  });

  it("raises nothing for a host's first package list, and nothing for expected packages coming or changing", () => {
    expect(evaluate({}, { packages: base })).toEqual([]);
    const expected: ExpectedPackage[] = [{ hostName: null, label: 'web', pattern: 'nginx*' }];
    const after = [...base, deb('nginx', '1.22.1-9'), deb('nginx-common', '1.22.1-9')];
    expect(evaluate({ packages: base }, { packages: after }, expected)).toEqual([]);
    // Another label's expectation does not apply; a removal of an expected package is still news.
    expect(evaluate({ packages: base }, { packages: after }, expected, ['db'])).toHaveLength(1);
    expect(evaluate({ packages: after }, { packages: base }, expected).map((alert) => alert.kind)).toEqual(['package.removed']);
  });
});
