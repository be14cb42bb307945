// The sniffer alarm, end to end on this machine: the server's built-in collector reports a veth
// interface that this test turns promiscuous; an already open dashboard shows the banner without a
// reload, and an acknowledgement from a second browser makes it vanish there. The veth's peer lives
// in a throwaway network namespace and nothing is ever sent anywhere. Needs root and `ip netns`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { launchBrowser, screenshot, signInPage } from '@/test/helpers/browser';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

const suffix = randomBytes(2).toString('hex');
const namespaceName = `ssb-${randomBytes(4).toString('hex')}`;
// Not veth*/docker*/br-*/...: those are promiscuous by design and raise no alert.
const rootEnd = `ssb${suffix}`;
const peerEnd = `ssp${suffix}`;

let namespaceCreated = false;
let vethCreated = false;
let server: AppServer | undefined;
let session: { cookie: string; csrfToken: string };
let browser: Browser | undefined;
let first: BrowserContext;
let second: BrowserContext;
let localHost = '';

const eventually = <T>(read: () => Promise<T> | T, timeout = 30_000) => expect.poll(read, { timeout, interval: 200 });

/** expect.poll for hooks (where it is not allowed): the first value that passes `isDone`. */
async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  let last: T | undefined;
  let lastError: unknown = null;
  while (Date.now() - started < timeoutMs) {
    try {
      last = await read();
      if (isDone(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}, last error ${String(lastError)}\n${server?.output().slice(-2000)}`);
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${server?.url}${path}`, { headers: { cookie: session.cookie } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as T;
}

async function openDashboard(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  if (!server) throw new Error('no server');
  await signInPage(page, server);
  await page.goto(`${server.url}${path}`);
  await eventually(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
  return page;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error('promiscuous-banner needs root: it creates a network namespace and a veth pair (run the tests as root, as CI does).');
  await ip('netns', 'list').catch((error: unknown) => {
    throw new Error(`promiscuous-banner needs \`ip netns\` from iproute2 (apt-get install iproute2): ${String(error)}`);
  });
  await ip('netns', 'add', namespaceName);
  namespaceCreated = true;
  await ip('link', 'add', rootEnd, 'type', 'veth', 'peer', 'name', peerEnd, 'netns', namespaceName);
  vethCreated = true;
  await ip('link', 'set', 'dev', rootEnd, 'up');
  await ip('-n', namespaceName, 'link', 'set', 'dev', peerEnd, 'up');

  server = await startAppServer({ env: { SOCKSCOPE_LOCAL_COLLECTOR: '1', SOCKSCOPE_LOCAL_INTERVAL: '1' } });
  session = await signInAsAdmin(server);
  // The built-in collector enrols this machine with the label "local"; wait until a stored snapshot shows the veth.
  const local = await waitFor(
    () => getJson<{ hosts: { name: string }[] }>('/api/v1/hosts?label=local'),
    (page) => page.hosts.length === 1,
    'the local host',
  );
  localHost = local.hosts[0]?.name ?? '';
  await waitFor(
    async () =>
      (await getJson<{ interfaces: { name: string; promiscuous: boolean }[] | null }>(`/api/v1/hosts/${encodeURIComponent(localHost)}`)).interfaces?.find(
        (row) => row.name === rootEnd,
      ),
    (row) => row?.promiscuous === false,
    `${rootEnd} in a stored snapshot`,
  );

  browser = await launchBrowser();
  first = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  second = await browser.newContext({ viewport: { width: 1280, height: 720 } });
});

afterAll(async () => {
  // Each step runs even if another failed; deleting one end of a veth pair deletes both.
  if (vethCreated) await ip('link', 'del', 'dev', rootEnd).catch(() => undefined);
  if (namespaceCreated) await ip('netns', 'del', namespaceName).catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.dispose();
});

describe('promiscuous-mode banner', () => {
  it('appears live on an open page when an interface turns promiscuous, and vanishes when another analyst acknowledges it', async () => {
    const page = await openDashboard(first, '/');
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));
    const otherPage = await openDashboard(second, '/alerts');
    expect(await page.getByTestId('promiscuous-banner').locator('li', { hasText: rootEnd }).count()).toBe(0);

    await ip('link', 'set', 'dev', rootEnd, 'promisc', 'on');

    const line = page.getByTestId('promiscuous-banner').locator('li', { hasText: rootEnd });
    await line.waitFor({ timeout: 30_000 });
    expect(await line.getAttribute('data-host')).toBe(localHost);
    expect(await line.textContent()).toContain(localHost);
    const alertId = await line.getAttribute('data-alert-id');
    expect(alertId).toMatch(/^\d+$/);
    const alerts = await getJson<{ alerts: { id: number; kind: string; level: number; subject: { name: string } }[] }>(
      `/api/v1/alerts?state=open&kind=interface.promiscuous_on&host=${encodeURIComponent(localHost)}`,
    );
    expect(alerts.alerts.find((alert) => alert.id === Number(alertId))).toMatchObject({ level: 12, subject: { name: rootEnd } });
    // The same document: the banner arrived over socket.io, not through a reload.
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, 'banner-promiscuous-on');

    // It links to the interface, shown promiscuous on the host page (a client-side navigation).
    await line.getByRole('link', { name: 'Show interface' }).click();
    await page.waitForURL(`**/hosts/${encodeURIComponent(localHost)}?tab=interfaces&iface=${rootEnd}`);
    const row = page.getByTestId('interfaces').locator(`tr[data-interface="${rootEnd}"]`);
    await eventually(() => row.getAttribute('data-promiscuous')).toBe('true');
    expect(await row.getByText('PROMISC', { exact: true }).count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'banner-interface');

    // The second analyst's page got it live too, and acknowledges it there.
    const otherLine = otherPage.getByTestId('promiscuous-banner').locator(`li[data-alert-id="${alertId}"]`);
    await otherLine.waitFor({ timeout: 30_000 });
    await eventually(() => otherPage.locator(`[data-testid="alerts-table"] tr[data-alert-id="${alertId}"]`).getAttribute('data-state')).toBe('open');
    await otherLine.getByRole('button', { name: 'Acknowledge' }).click();

    await eventually(() => page.getByTestId('promiscuous-banner').locator(`li[data-alert-id="${alertId}"]`).count(), 15_000).toBe(0);
    await eventually(() => otherPage.getByTestId('promiscuous-banner').locator(`li[data-alert-id="${alertId}"]`).count(), 15_000).toBe(0);
    // The acknowledgement updated the second analyst's alert list in place.
    await eventually(() => otherPage.locator(`[data-testid="alerts-table"] tr[data-alert-id="${alertId}"]`).getAttribute('data-state'), 15_000).toBe(
      'acknowledged',
    );
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, 'banner-acknowledged');
    await screenshot(otherPage, 'banner-acknowledged-alerts');
  });
});
