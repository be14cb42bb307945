// The OSPatrol rule "Installed packages have changed", on this machine's real dpkg database: the
// built-in collector reads its packages when the database changes, so installing and removing a
// small Debian package (hello) with apt-get raises package.installed and package.removed, and the
// diff between the snapshots around each shows it.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { connectRecordingClient, type RecordingClient } from '@/test/helpers/realtime-client';
import { waitFor } from '@/test/helpers/wait-for';

const PACKAGE = 'hello';
let server: AppServer;
let session: { cookie: string };
let client: RecordingClient;

function apt(...args: string[]): void {
  execFileSync('apt-get', ['-y', '-qq', ...args], { stdio: 'pipe', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 240_000 });
}

function isInstalled(): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}', PACKAGE], { encoding: 'utf8' }).startsWith('ii');
  } catch {
    return false;
  }
}

function install(): void {
  try {
    apt('install', '--no-install-recommends', PACKAGE);
  } catch {
    // A fresh machine may not have package lists yet.
    apt('update');
    apt('install', '--no-install-recommends', PACKAGE);
  }
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie: session.cookie } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

interface AlertEventLike {
  kind: string;
  level: number;
  message: string;
  snapshotId: string | null;
  host: string;
}

beforeAll(async () => {
  if (isInstalled()) apt('remove', PACKAGE);
  server = await startAppServer({ env: { SOCKSCOPE_LOCAL_COLLECTOR: '1', SOCKSCOPE_LOCAL_INTERVAL: '1' } });
  session = await signInAsAdmin(server);
  client = await connectRecordingClient(server, session.cookie);
  // The first snapshot carries the machine's package list: its inventory, raising nothing.
  await waitFor(
    "this machine's package list",
    async () => {
      const { hosts } = await get<{ hosts: { name: string }[] }>('/api/v1/hosts');
      if (hosts.length === 0) return false;
      const detail = await get<{ packages: unknown[] | null }>(`/api/v1/hosts/${hosts[0]!.name}`);
      return (detail.packages?.length ?? 0) > 0;
    },
    60_000,
    200,
  );
}, 300_000);

afterAll(async () => {
  if (isInstalled()) apt('remove', PACKAGE);
  client?.close();
  await server?.dispose();
});

async function waitForPackageAlert(kind: string): Promise<AlertEventLike> {
  const event = await client.waitFor((candidate) => candidate.event === 'alert' && candidate.payload.kind === kind, 60_000);
  return event.payload as unknown as AlertEventLike;
}

async function diffAround(snapshotId: string, host: string) {
  const { snapshots } = await get<{ snapshots: { id: string }[] }>(`/api/v1/hosts/${host}/snapshots?limit=1000`);
  const index = snapshots.findIndex((snapshot) => snapshot.id === snapshotId);
  const previous = snapshots[index + 1];
  expect(previous, 'the snapshot before the change').toBeDefined();
  return get<{ packages: { added: { name: string }[]; removed: { name: string }[] } }>(`/api/v1/hosts/${host}/diff?from=${previous!.id}&to=${snapshotId}`);
}

describe('packages installed and removed on this machine', () => {
  it('raises package.installed (level 10) for apt-get install, and the diff shows it', async () => {
    install();
    const alert = await waitForPackageAlert('package.installed');
    expect(alert.level).toBe(10);
    expect(alert.message).toMatch(new RegExp(`package installed: ${PACKAGE} \\S+`));
    const diff = await diffAround(alert.snapshotId!, alert.host);
    expect(diff.packages.added.map((row) => row.name)).toContain(PACKAGE);
    // What an analyst sees, in the test's output (the issue asks for it in the closing note).
    console.info(`apt-get install ${PACKAGE}: alert level ${alert.level} "${alert.message}"; diff added ${JSON.stringify(diff.packages.added)}`);
    const hosts = await get<{ rows: { host: string; name: string }[] }>(`/api/v1/search/packages?name=${PACKAGE}`);
    expect(hosts.rows.map((row) => row.host)).toContain(alert.host);
  }, 300_000);

  it('raises package.removed for apt-get remove, and the diff shows it', async () => {
    apt('remove', PACKAGE);
    const alert = await waitForPackageAlert('package.removed');
    expect(alert.message).toMatch(new RegExp(`package removed: ${PACKAGE} \\S+`));
    const diff = await diffAround(alert.snapshotId!, alert.host);
    expect(diff.packages.removed.map((row) => row.name)).toContain(PACKAGE);
    console.info(`apt-get remove ${PACKAGE}: alert level ${alert.level} "${alert.message}"; diff removed ${JSON.stringify(diff.packages.removed)}`);
    const recent = await get<{ rows: { name: string; installed: boolean }[] }>(`/api/v1/search/packages?name=${PACKAGE}&appearedWithinMinutes=60`);
    expect(recent.rows).toEqual([expect.objectContaining({ name: PACKAGE, installed: false })]);
  }, 300_000);
});
