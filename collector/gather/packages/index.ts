// The installed packages of this host, from every package manager it has (dpkg, rpm, apk; a Debian
// host with rpm installed has two), each row marked with its source.
import type { PackageRow } from '../../../lib/schemas/snapshot';
import { sortPackages } from '../../parse/package-rows';
import { readApkDatabase, apkWatchedPaths } from './apk';
import { describeFileVersion } from './database-files';
import { dpkgWatchedPaths, readDpkgDatabase } from './dpkg';
import { readRpmDatabase, rpmWatchedPaths } from './rpm';

export interface PackageGatherOptions {
  /** Where the host's file system is; a copied tree in tests. */
  root?: string;
  /** The rpm executable; tests point it at a stand-in. */
  rpmCommand?: string;
}

export interface PackageDatabases {
  /** The identity (inode, size, time) of every database file, from stat alone: it changes when the packages may have. */
  fingerprint: () => Promise<string>;
  /** Every installed package, sorted; null when the host has no package database we can read. */
  read: () => Promise<PackageRow[] | null>;
}

export function localPackageDatabases(options: PackageGatherOptions = {}): PackageDatabases {
  const root = options.root ?? '/';
  const watchedPaths = [...dpkgWatchedPaths(root), ...rpmWatchedPaths(root), ...apkWatchedPaths(root)];
  return {
    async fingerprint() {
      return (await Promise.all(watchedPaths.map(describeFileVersion))).join('\n');
    },
    async read() {
      // One failing manager fails the whole read: a partial list would read as packages removed.
      const perManager = await Promise.all([readDpkgDatabase(root), readRpmDatabase(root, { command: options.rpmCommand }), readApkDatabase(root)]);
      const found = perManager.filter((rows) => rows !== null);
      return found.length === 0 ? null : sortPackages(found.flat());
    },
  };
}

/** This host's installed packages now (the `snapshot` command); null when it has no package database we read. */
export function gatherPackages(options: PackageGatherOptions = {}): Promise<PackageRow[] | null> {
  return localPackageDatabases(options).read();
}
