// The walking skeleton, as an analyst sees it: the fleet page lists hosts, a posted snapshot
// with a new listener appears on the open pages without a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollTestHost, signInAsAdmin, startAppServer, type AppServer } from '@/test/helpers/app-server';
import { launchBrowser, screenshot, signInPage } from '@/test/helpers/browser';
import { listener, makeSnapshot, postSnapshot } from '@/test/helpers/snapshots';

let server: AppServer;
let browser: Browser;
let page: Page;
let token: string;

beforeAll(async () => {
  server = await startAppServer();
  const session = await signInAsAdmin(server);
  token = await enrollTestHost(server, session, 'web-01');
  expect((await postSnapshot(server.url, token, makeSnapshot('web-01', { sockets: [listener(22, 'sshd')] }))).status).toBe(202);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await signInPage(page, server);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('live dashboard', () => {
  it('shows the fleet and adds a new host live when its first snapshot arrives', async () => {
    const fleet = page.getByTestId('fleet-table');
    await expect.poll(() => fleet.locator('tr[data-host="web-01"]').count()).toBe(1);
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');

    const session = await signInAsAdmin(server);
    const dbToken = await enrollTestHost(server, session, 'db-01');
    await postSnapshot(server.url, dbToken, makeSnapshot('db-01', { sockets: [listener(5432, 'postgres'), listener(22, 'sshd')] }));
    await expect.poll(() => fleet.locator('tr[data-host="db-01"]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => fleet.locator('tr[data-host="db-01"] [data-testid="listener-count"]').textContent()).toBe('2');
    await screenshot(page, 'fleet-live');
  });

  it('shows a new listener on the open host page without a reload', async () => {
    await page.getByRole('link', { name: 'web-01' }).click();
    const sockets = page.getByTestId('listening-sockets');
    await expect.poll(() => sockets.locator('tr[data-port="22"]').count()).toBe(1);
    const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));

    const response = await postSnapshot(
      server.url,
      token,
      makeSnapshot('web-01', { sockets: [listener(22, 'sshd'), listener(31337, 'backdoor', { user: 'www-data', uid: 33 })] }),
    );
    expect(response.status).toBe(202);
    await expect.poll(() => sockets.locator('tr[data-port="31337"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await sockets.locator('tr[data-port="31337"] [data-testid="socket-process"]').textContent()).toBe('backdoor');
    // Same document: the row arrived over socket.io, not through a reload.
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
    await screenshot(page, 'host-new-listener');
  });
});
