// Package alerts, the OSPatrol rule "Installed packages have changed" (level 10): a package
// installed, removed, or at another version — a downgrade at a higher level, as it can bring back a
// fixed flaw. One alert per package; several of one kind from one snapshot become one alert that
// lists them (summarize-floods.ts), so an `apt upgrade` of 40 packages is one alert, not 40.
// Packages expected on the host (by name glob, per host, label or fleet) raise nothing when they
// come or change; their removal still does.
import { isExpectedPackage } from '@/lib/alerts/rules/expected';
import { createCandidate, type AlertCandidate, type AlertRuleInput } from '@/lib/alerts/rules/types';
import type { ChangedPackage } from '@/lib/diff/types';
import type { PackageRow } from '@/lib/schemas/snapshot';

export const DOWNGRADE_LEVEL = 12;

export function evaluatePackageAlerts(input: AlertRuleInput): AlertCandidate[] {
  const diff = input.diff.packages;
  // First packages seen for this host: its whole inventory would be "installed", a flood not news.
  if (!diff.collected) return [];
  const isExpected = (row: PackageRow) => isExpectedPackage(row, input, input.expectedPackages ?? []);
  return [
    ...diff.added.filter((row) => !isExpected(row)).map((row) => presenceAlert('installed', input.hostName, row)),
    ...diff.changed.filter((row) => !isExpected(row.after)).map((row) => changedAlert(input.hostName, row)),
    ...diff.removed.map((row) => presenceAlert('removed', input.hostName, row)),
  ];
}

const describePackage = (row: PackageRow) => `${row.name} ${row.version}${row.arch ? ` (${row.arch})` : ''}`;
const packageKey = (row: PackageRow) => `${row.source}:${row.name}:${row.arch ?? ''}`;
const subjectOf = (row: PackageRow) => ({ name: row.name, version: row.version, arch: row.arch, source: row.source });

/** A package that appeared (`installed`) or went (`removed`). */
function presenceAlert(change: 'installed' | 'removed', hostName: string, row: PackageRow): AlertCandidate {
  const label = describePackage(row);
  return createCandidate(
    `package.${change}`,
    `package.${change}:${packageKey(row)}:${row.version}`,
    `${hostName}: package ${change}: ${label}`,
    subjectOf(row),
    label,
  );
}

function changedAlert(hostName: string, row: ChangedPackage): AlertCandidate {
  const label = `${row.after.name} ${row.before.version} → ${row.after.version}`;
  const verb = row.direction === 'downgraded' ? 'downgraded' : row.direction === 'upgraded' ? 'upgraded' : 'reinstalled';
  const candidate = createCandidate(
    'package.changed',
    `package.changed:${packageKey(row.after)}:${row.before.version}:${row.after.version}`,
    `${hostName}: package ${verb}: ${label}`,
    { ...subjectOf(row.after), previousVersion: row.before.version, direction: row.direction },
    `${label} (${verb})`,
  );
  return row.direction === 'downgraded' ? { ...candidate, level: DOWNGRADE_LEVEL } : candidate;
}
