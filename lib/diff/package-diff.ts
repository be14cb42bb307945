// Packages: identity is (source, name, arch). Another version of the same package is one changed
// row, upgraded or downgraded by its package manager's own ordering (package-versions.ts) — never a
// removal plus an installation.
import type { PackageRow } from '@/lib/schemas/snapshot';
import { diffSection, type SectionRules } from '@/lib/diff/diff-section';
import { compareVersions } from '@/lib/diff/package-versions';
import type { ChangedPackage, PackageChange, SectionDiff } from '@/lib/diff/types';

const packageRules: SectionRules<PackageRow, PackageChange> = {
  // NUL cannot occur in snapshot text (the schema refuses it), so it separates key parts safely.
  keyOf: (row) => `${row.source}\u0000${row.name}\u0000${row.arch ?? ''}`,
  fields: [{ name: 'version', comparable: (row) => row.version }],
};

export function diffPackages(before: readonly PackageRow[] | undefined, after: readonly PackageRow[] | undefined): SectionDiff<PackageRow, ChangedPackage> {
  const diff = diffSection(before, after, packageRules);
  return {
    ...diff,
    changed: diff.changed.map((row) => {
      const order = compareVersions(row.after.source, row.before.version, row.after.version);
      return { ...row, direction: order < 0 ? 'upgraded' : order > 0 ? 'downgraded' : 'reinstalled' };
    }),
  };
}
