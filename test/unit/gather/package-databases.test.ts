// The native package readers over a host tree built from the parser fixtures: dpkg's status file and
// updates/ journal, apk's installed database, and an rpm database read through a stand-in rpm.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatherPackages, localPackageDatabases } from '@/collector/gather/packages/index';
import { dpkgStatesInstalled, installedPackage } from '../parse/helpers';

const parseFixtures = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));

let root: string;
let tools: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sockscope-packages-'));
  tools = mkdtempSync(path.join(os.tmpdir(), 'sockscope-packages-tools-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(tools, { recursive: true, force: true });
});

function place(relativePath: string, fixture: string): void {
  mkdirSync(path.dirname(path.join(root, relativePath)), { recursive: true });
  copyFileSync(path.join(parseFixtures, fixture), path.join(root, relativePath));
}

function write(relativePath: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, relativePath)), { recursive: true });
  writeFileSync(path.join(root, relativePath), text);
}

/** An `rpm` that records its arguments and prints the fixture, as `rpm -qa --queryformat ...` would. */
function standInRpm(fixture: string): { command: string; argumentsFile: string } {
  const command = path.join(tools, 'rpm');
  const argumentsFile = path.join(tools, 'arguments');
  writeFileSync(command, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argumentsFile}'\ncat '${path.join(parseFixtures, fixture)}'\n`);
  chmodSync(command, 0o755);
  return { command, argumentsFile };
}

describe('gatherPackages', () => {
  it("reads dpkg's status file: installed states only, both architectures of libc6", async () => {
    place('var/lib/dpkg/status', 'dpkg-status/debian12-states.txt');
    expect(await gatherPackages({ root })).toEqual(dpkgStatesInstalled);
  });

  it("applies dpkg's updates/ journal over the status file, in name order, ignoring other files there", async () => {
    place('var/lib/dpkg/status', 'dpkg-status/debian12-states.txt');
    write('var/lib/dpkg/updates/0001', 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-9+deb12u2\n');
    write('var/lib/dpkg/updates/0000', 'Package: nginx\nStatus: install ok half-configured\nArchitecture: amd64\nVersion: 1.22.1-9+deb12u1\n');
    write('var/lib/dpkg/updates/tmp.i', 'not a stanza at all\n');
    const rows = await gatherPackages({ root });
    expect(rows?.find((row) => row.name === 'nginx')).toEqual(installedPackage('dpkg', 'nginx', '1.22.1-9+deb12u2', 'amd64'));
  });

  it('reads every package manager on the host, each row with its source, in one sorted list', async () => {
    place('var/lib/dpkg/status', 'dpkg-status/debian12-dpkg-query-s.txt');
    place('lib/apk/db/installed', 'apk-installed/alpine319-installed.txt');
    write('usr/lib/sysimage/rpm/rpmdb.sqlite', '');
    const rpm = standInRpm('rpm-qa/rhel9-collector-queryformat.txt');
    const rows = (await gatherPackages({ root, rpmCommand: rpm.command })) ?? [];
    expect(new Set(rows.map((row) => row.source))).toEqual(new Set(['dpkg', 'rpm', 'apk']));
    expect(rows).toHaveLength(5 + 7 + 5);
    expect(rows.slice(0, 3)).toEqual([
      installedPackage('dpkg', 'adduser', '3.134', 'all'),
      installedPackage('apk', 'alpine-baselayout', '3.4.3-r2', 'x86_64'),
      installedPackage('rpm', 'bash', '5.1.8-9.el9', 'x86_64', '2024-04-25T12:02:01.000Z'),
    ]);
    expect(readFileSync(rpm.argumentsFile, 'utf8').split('\n').slice(0, 2)).toEqual(['-qa', '--queryformat']);
    expect(readFileSync(rpm.argumentsFile, 'utf8')).toContain(`--root\n${root}`);
  });

  it('skips rpm when its database exists but the rpm binary does not', async () => {
    place('lib/apk/db/installed', 'apk-installed/alpine319-installed.txt');
    write('var/lib/rpm/Packages', '');
    const rows = await gatherPackages({ root, rpmCommand: path.join(tools, 'no-such-rpm') });
    expect(rows?.every((row) => row.source === 'apk')).toBe(true);
  });

  it('is null on a host without any package database: the section is left out, not sent empty', async () => {
    expect(await gatherPackages({ root })).toBeNull();
  });

  it('is an empty list for a database that holds no installed package', async () => {
    write('var/lib/dpkg/status', '');
    expect(await gatherPackages({ root })).toEqual([]);
  });

  it('fails as a whole, naming file and line, when one database is unreadable: a partial list would read as removals', async () => {
    place('lib/apk/db/installed', 'apk-installed/alpine319-installed.txt');
    write('var/lib/dpkg/status', 'Package: adduser\nStatus: install ok installed\nVersion: 3.134\nnot a field\n');
    await expect(gatherPackages({ root })).rejects.toThrow(`${path.join(root, 'var/lib/dpkg/status')}:4: expected "Field: value"`);
  });

  it('fails when rpm fails, with its first error line', async () => {
    write('var/lib/rpm/rpmdb.sqlite', '');
    const command = path.join(tools, 'rpm');
    writeFileSync(command, '#!/bin/sh\necho "error: cannot open Packages database in /var/lib/rpm" >&2\nexit 1\n');
    chmodSync(command, 0o755);
    await expect(gatherPackages({ root, rpmCommand: command })).rejects.toThrow(
      'rpm -qa failed (exit 1): error: cannot open Packages database in /var/lib/rpm',
    );
  });
});

describe('localPackageDatabases fingerprint', () => {
  it('changes when a database file is replaced or a journal file appears, and only then', async () => {
    place('var/lib/dpkg/status', 'dpkg-status/debian12-states.txt');
    const databases = localPackageDatabases({ root });
    const first = await databases.fingerprint();
    expect(await databases.fingerprint()).toBe(first);
    await databases.read();
    expect(await databases.fingerprint()).toBe(first);

    write('var/lib/dpkg/updates/0000', 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-10\n');
    const withJournal = await databases.fingerprint();
    expect(withJournal).not.toBe(first);

    // dpkg writes status-new and renames it over status.
    write('var/lib/dpkg/status-new', 'Package: nginx\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.22.1-10\n');
    renameSync(path.join(root, 'var/lib/dpkg/status-new'), path.join(root, 'var/lib/dpkg/status'));
    expect(await databases.fingerprint()).not.toBe(withJournal);
  });
});
