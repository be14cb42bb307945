// The native package reader against this machine's real dpkg database: what it reads from
// /var/lib/dpkg/status must be what dpkg's own tools list, through the parsers users import with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { localPackageDatabases } from '../../../collector/gather/packages/index';
import { parseDpkgList } from '../../../collector/parse/dpkg-list';
import { parseDpkgQuery } from '../../../collector/parse/dpkg-query';
import { parseDpkgStatus } from '../../../collector/parse/dpkg-status';
import type { PackageRow } from '../../../lib/schemas/snapshot';

const run = promisify(execFile);
const databases = localPackageDatabases();

async function dpkgTool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/**
 * The native rows and the tool's, read while the database did not change (others may install
 * packages on this machine meanwhile; then read both again).
 */
async function readBothUnchanged(readWithTool: () => Promise<PackageRow[]>): Promise<{ native: PackageRow[]; tool: PackageRow[] }> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const before = await databases.fingerprint();
    const native = ((await databases.read()) ?? []).filter((row) => row.source === 'dpkg');
    const tool = await readWithTool();
    if ((await databases.fingerprint()) === before) return { native, tool };
  }
  throw new Error('the dpkg database kept changing during the comparison');
}

describe("native package reader on this machine's dpkg database", () => {
  it('reads every installed package, and only those, as dpkg-query shows them with their state', async () => {
    const format = '${db:Status-Abbrev}\\t${binary:Package}\\t${Version}\\t${Architecture}\\n';
    const { native, tool } = await readBothUnchanged(async () => parseDpkgQuery(await dpkgTool('dpkg-query', ['-W', '-f', format])));
    expect(native.length).toBeGreaterThan(100);
    expect(native).toEqual(tool);
  });

  it('agrees with dpkg -l', async () => {
    const { native, tool } = await readBothUnchanged(async () => parseDpkgList(await dpkgTool('dpkg', ['-l'])));
    expect(native).toEqual(tool);
  });

  it('agrees with the status stanzas dpkg-query --status prints', async () => {
    const { native, tool } = await readBothUnchanged(async () => parseDpkgStatus(await dpkgTool('dpkg-query', ['--status'])));
    expect(native).toEqual(tool);
  });

  it('agrees with plain dpkg-query -W on names and versions (it shows removed packages too, and architectures only as qualifiers)', async () => {
    const { native, tool } = await readBothUnchanged(async () => parseDpkgQuery(await dpkgTool('dpkg-query', ['-W'])));
    const key = (row: PackageRow) => `${row.name} ${row.version}`;
    const toolKeys = new Set(tool.map(key));
    expect(native.filter((row) => !toolKeys.has(key(row)))).toEqual([]);
  });

  it('rows are valid, sorted by name then architecture, with no install time (dpkg records none)', async () => {
    const rows = (await databases.read()) ?? [];
    const order = rows.map((row) => `${row.name}\u0000${row.arch ?? ''}`);
    expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(rows.every((row) => row.installedAt === null && row.version !== '')).toBe(true);
  });
});
