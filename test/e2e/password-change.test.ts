// A password someone else saw, replaced in the browser: an analyst created with a generated
// password is reminded on every page, changes it from the user menu, the reminder goes, and only
// the new password signs in. An admin resets another analyst's password from the same page.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '@/test/helpers/app-server';
import { launchBrowser, screenshot, signInPage } from '@/test/helpers/browser';
import { createTestUser } from '@/test/helpers/users';

let server: AppServer;
let browser: Browser;
let page: Page;
let generatedPassword: string;
const chosenPassword = 'a-password-only-nina-knows';

beforeAll(async () => {
  server = await startAppServer();
  generatedPassword = await createTestUser(server, 'nina', 'analyst');
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const banner = () => page.getByTestId('generated-password-banner');

describe('changing a generated password', () => {
  it('is asked for on every page until done, from the user menu, and only the new password signs in afterwards', async () => {
    await signInPage(page, server, 'nina', generatedPassword);
    await banner().waitFor();
    expect(await banner().textContent()).toContain('Your password was generated for you');
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(`${server.url}/alerts`);
    expect(await banner().isVisible()).toBe(true);
    await screenshot(page, 'password-generated-banner');

    await page.getByRole('link', { name: 'nina (analyst)' }).click();
    await page.waitForURL(`${server.url}/account`);
    await page.getByLabel('Current password').fill('not-my-password');
    await page.getByLabel('New password (at least 12 characters)').fill(chosenPassword);
    await page.getByLabel('New password again').fill(chosenPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    // (Next.js's route announcer is an alert too: look for ours by its text.)
    await page.getByRole('alert').filter({ hasText: 'The current password is wrong.' }).waitFor();

    await page.getByLabel('Current password').fill(generatedPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await banner().waitFor({ state: 'detached' });
    // An admin-only form is not shown to an analyst.
    expect(await page.getByRole('heading', { name: "Reset another account's password" }).count()).toBe(0);
    await screenshot(page, 'password-changed');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await page.getByLabel('Name').fill('nina');
    await page.getByLabel('Password').fill(generatedPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong name or password.' }).waitFor();
    await signInPage(page, server, 'nina', chosenPassword);
    await page.getByRole('link', { name: 'nina (analyst)' }).waitFor();
    expect(await banner().count()).toBe(0);
  });

  it("an admin resets another analyst's password and sees the new one once", async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await signInPage(page, server);
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Account name').fill('nina');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset password' }).click();
    const shown = page.getByTestId('reset-password-value');
    await shown.waitFor();
    const resetPassword = (await shown.textContent()) ?? '';
    expect(resetPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await screenshot(page, 'password-reset-by-admin');

    const signIn = (password: string) =>
      fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.90' },
        body: JSON.stringify({ name: 'nina', password }),
      });
    expect((await signIn(chosenPassword)).status).toBe(401);
    expect((await signIn(resetPassword)).status).toBe(200);
  });
});
