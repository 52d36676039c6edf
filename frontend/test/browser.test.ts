import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { uniqueEmail } from './support/http';
import {
  FRONTEND_DIR,
  freePort,
  runMigrate,
  startApi,
  startWeb,
  type Running,
} from './support/processes';

// A real headless Chromium against the built web app AND the built Tasks API, both on
// the test database: sign up → dashboard → create a task → reload → it is still there.
// Screenshots of every page land in frontend/test-results/.
const SCREENSHOTS = path.join(FRONTEND_DIR, 'test-results');
const databaseUrl = () => process.env.DATABASE_URL!;

let web: Running;
let api: Running;
let browser: Browser;
let page: Page;

async function shot(name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
  // Each app needs the other's URL: pick the API's port first.
  const apiPort = await freePort();
  // One browser signs up and in several times from one address: raise the limit through
  // configuration (the limiter stays on).
  web = await startWeb({
    databaseUrl: databaseUrl(),
    apiUrl: `http://localhost:${apiPort}`,
    rateLimitMax: 20,
  });
  api = await startApi({ databaseUrl: databaseUrl(), webUrl: web.url, port: apiPort });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([web?.stop(), api?.stop()]);
});

describe('in a real browser', () => {
  const email = uniqueEmail('browser');
  const password = 'a long enough password';

  it('sends a signed-out visitor from the dashboard to sign in', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await shot('01-home');
    await page.goto(`${web.url}/dashboard`);
    await page.waitForURL(/\/sign-in\?returnUrl=\/dashboard$/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('02-sign-in');
  });

  it('signs up, lands on the dashboard, creates a task that survives a reload', async () => {
    await page.goto(`${web.url}/sign-up`);
    await page.getByLabel('Name').fill('Browser Tester');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Password must be at least 8 characters.').waitFor();
    await shot('03-sign-up-error');

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByText('No tasks yet').waitFor();
    await shot('04-dashboard-empty');

    await page.getByLabel('New task').fill('Buy oat milk');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
    await shot('05-dashboard-one-task');

    await page.reload();
    await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
    expect(await page.getByRole('listitem').count()).toBe(1);
  });

  it('toggles, renames and deletes a task from the keyboard and mouse', async () => {
    await page.getByLabel('New task').fill('Write report');
    await page.keyboard.press('Enter');
    const report = page.getByRole('checkbox', { name: 'Write report' });
    await report.waitFor();

    await report.check();
    await page.locator('li.task.done', { hasText: 'Write report' }).waitFor();

    await page.getByRole('button', { name: 'Edit “Write report”' }).click();
    const title = page.getByLabel('Title of “Write report”');
    await title.fill('Write the quarterly report');
    await shot('06-dashboard-editing');
    await title.press('Enter');
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    await shot('07-dashboard-two-tasks');

    await page.getByRole('button', { name: 'Delete “Buy oat milk”' }).click();
    await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor({ state: 'detached' });

    await page.reload();
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    expect(
      await page.getByRole('checkbox', { name: 'Write the quarterly report' }).isChecked(),
    ).toBe(true);
    expect(await page.getByRole('listitem').count()).toBe(1);
  });

  it('shows the loading and error states, and recovers with "Try again"', async () => {
    const apiCalls = `${api.url}/api/users/**`;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(apiCalls, async (route) => {
      await held;
      await route.abort('connectionrefused');
    });
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Loading your tasks' }).waitFor();
    await shot('09-dashboard-loading');
    release();
    await page.getByText('Could not load your tasks').waitFor();
    await shot('10-dashboard-error');

    await page.unroute(apiCalls);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();

    await page.setViewportSize({ width: 390, height: 700 });
    await shot('11-dashboard-narrow');
    await page.setViewportSize({ width: 1024, height: 720 });
  });

  it('signs out, and a wrong password gets the shared message', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await shot('08-sign-in-wrong-password');

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
  });

  it('a second user in the same tab sees only their own (empty) list', async () => {
    // Sign-out and sign-up are soft navigations: the first user's token must not linger.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Second User');
    await page.getByLabel('Email').fill(uniqueEmail('second'));
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByText('No tasks yet').waitFor();
  });
});
