import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatWait } from '../src/lib/auth/messages';
import { UNDO_DELETE_MS } from '../src/lib/task-queries/pending-delete';
import { expectNoAxeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { postAuth, uniqueEmail } from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { rememberSecret } from './support/secrets';
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
// All of it with the app's Content-Security-Policy on: every console message and every
// `securitypolicyviolation` event is collected, and none may be about the CSP.
// Screenshots of every page land in frontend/test-results/.
const SCREENSHOTS = path.join(FRONTEND_DIR, 'test-results');
const databaseUrl = () => process.env.DATABASE_URL!;

let web: Running;
let api: Running;
let browser: Browser;
let page: Page;
/** CSP violations the pages reported (console messages and securitypolicyviolation events). */
const violations: string[] = [];
/** Every URL the page asked for and got a 404 (a missing favicon shows up here). */
const notFound: string[] = [];
/** Every JWT the page fetched from /api/auth/token. */
const tokens: string[] = [];

/** Reports every CSP violation of the page to the console, where `watch` collects it. */
const REPORT_VIOLATIONS = () =>
  document.addEventListener('securitypolicyviolation', (event) =>
    console.error(
      `[csp-violation] ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`,
    ),
  );

function watch(target: Page, into: string[]) {
  target.on('console', (message) => {
    const text = message.text();
    if (
      /content security policy|csp-violation|refused to (execute|load|apply|connect)/i.test(text)
    ) {
      into.push(text);
    }
  });
  target.on('response', async (response) => {
    if (response.status() === 404) notFound.push(response.url());
    if (!response.url().endsWith('/api/auth/token') || response.status() !== 200) return;
    const { token } = (await response.json().catch(() => ({}))) as { token?: string };
    if (token) {
      tokens.push(token);
      rememberSecret(token);
    }
  });
}

/**
 * Every change the board shows is saved: it shows changes before the API has them
 * (optimistic), so a reload right after a click could lose one still in flight.
 */
async function saved() {
  await page.locator('.board[aria-busy="false"]').waitFor();
}

/**
 * The API as unreachable for changes: the next change (POST, PATCH, DELETE) is held until
 * `refuse()` fails it; from then on every request fails, reads too, so what the board
 * shows after the refusal is its own undo, not a fresh list from the server. `restore()`
 * makes the API reachable again.
 */
async function holdNextChange() {
  const pattern = `${api.url}/api/users/**`;
  let refused = false;
  let refuse: () => void = () => {};
  const held = new Promise<void>((resolve) => (refuse = resolve));
  await page.route(pattern, async (route) => {
    const change = ['POST', 'PATCH', 'DELETE'].includes(route.request().method());
    if (!change && !refused) {
      await route.continue();
      return;
    }
    await held;
    await route.abort('connectionrefused');
  });
  return {
    refuse: () => {
      refused = true;
      refuse();
    },
    restore: async () => {
      await saved();
      await page.unroute(pattern);
    },
  };
}

/** The element with focus is the checkbox of the task titled `title`. */
async function focusedCheckbox() {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLInputElement | null;
    if (active?.type !== 'checkbox') return null;
    const labelId = active.getAttribute('aria-labelledby');
    return labelId ? (document.getElementById(labelId)?.textContent ?? null) : null;
  });
}

/** The seconds of a wait as the form shows it: "Wait 14 min 59 s", "Wait 7 s". */
function secondsOf(text: string): number {
  const match = /(?:(\d+) min)? ?(?:(\d+) s)?$/.exec(text.trim());
  return Number(match?.[1] ?? 0) * 60 + Number(match?.[2] ?? 0);
}

/** Pauses the page's clock: no timer of the page fires until `runFor` or `resume`. */
async function pauseClock() {
  // The page's clock flows while we ask it the time: pause a second ahead, and ask again
  // if even that has passed (a slow machine), rather than race it.
  for (;;) {
    const now = await page.evaluate(() => Date.now());
    try {
      await page.clock.pauseAt(now + 1_000);
      return;
    } catch (error) {
      if (!/to the past/.test(String(error))) throw error;
    }
  }
}

/**
 * Deletes the task titled `title` for real: Delete, then the undo window runs out on the
 * page's clock (no real waiting), and the DELETE is sent (resolved once the API answered,
 * unless `answered` is false because the API is held back).
 */
async function deleteTask(title: string, { answered = true } = {}) {
  await pauseClock();
  await page.getByRole('button', { name: `Delete “${title}”` }).click();
  await page.getByRole('checkbox', { name: title }).waitFor({ state: 'detached' });
  const sent = page.waitForRequest(
    (request) => request.method() === 'DELETE' && request.url().startsWith(api.url),
  );
  await page.clock.runFor(UNDO_DELETE_MS);
  await page.clock.resume();
  const request = await sent;
  if (answered) await request.response();
}

/** WCAG's relative luminance of an `rgb(r, g, b)` / `rgba(...)` colour. */
function luminance(color: string): number {
  const [r, g, b] = color
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map(Number) as [number, number, number];
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG's contrast ratio of two colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Stops the Tasks API (the server's and the browser's requests to it both fail). */
async function stopApi() {
  await api.stop();
}

/** The Tasks API again, on the same port (the web app was started with its URL). */
async function startApiAgain() {
  api = await startApi({ databaseUrl: databaseUrl(), webUrl: web.url, port: api.port });
}

/**
 * A screenshot of the page in its current state, and axe-core on that same state: every
 * state the suite shows is checked for accessibility (0 violations), not only the first.
 * `axe: false` only where scripts are off (axe is a script).
 */
async function shot(name: string, { axe = true } = {}) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (axe) await expectNoAxeViolations(page, name);
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
    // Failed sign-ins back off 15 min from the first (not 10 s): the suite's wrong passwords
    // meet a running back-off however slowly its steps follow each other.
    signInBackoffSeconds: 900,
  });
  api = await startApi({ databaseUrl: databaseUrl(), webUrl: web.url, port: apiPort });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  // The page's timers run on Playwright's clock: it flows like the real one until a test
  // pauses it, so the undo window of a delete ends only when a test says so.
  await page.clock.install();
  await page.addInitScript(REPORT_VIOLATIONS);
  watch(page, violations);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([web?.stop(), api?.stop()]);
});

describe('in a real browser', () => {
  // A test that failed while it held the API back must not hold back the ones after it.
  // Nor one that failed while the page's clock stood still (resuming a running clock is a no-op).
  afterEach(async () => {
    await page?.unrouteAll({ behavior: 'ignoreErrors' });
    await page?.clock.resume().catch(() => undefined);
  });

  const email = uniqueEmail('browser');
  const password = 'a long enough password';
  rememberSecret(password);
  rememberSecret('not my password');

  it('sends a signed-out visitor from the dashboard to sign in', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await shot('01-home');
    await page.goto(`${web.url}/dashboard`);
    await page.waitForURL(/\/sign-in\?returnUrl=\/dashboard&reason=sign_in_required$/);
    await page.getByText('Sign in to continue').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('02-sign-in');
  });

  it('signs up, lands on the dashboard, creates a task that survives a reload', async () => {
    await page.goto(`${web.url}/sign-up`);
    await page.getByLabel('Name').fill('Browser Tester');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Password must be at least 8 characters.', { exact: true }).waitFor();
    // Announced (the form's alert region), the focus on the field in error, nothing wiped.
    expect(await page.locator('.form-status').innerText()).toContain(
      'Password must be at least 8 characters.',
    );
    await page.waitForFunction(() => document.activeElement?.id === 'password');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('short');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    // The show-password toggle: a button whose pressed state says what the field shows.
    const reveal = page.getByRole('button', { name: 'Show password' });
    expect(await reveal.getAttribute('aria-pressed')).toBe('false');
    await reveal.click();
    expect(await reveal.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#password').getAttribute('type')).toBe('text');
    await reveal.click();
    expect(await page.locator('#password').getAttribute('type')).toBe('password');
    await shot('03-sign-up-error');

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByText('No tasks yet').waitFor();
    await shot('04-dashboard-empty');

    await page.getByLabel('New task').fill('Buy oat milk');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
    await shot('05-dashboard-one-task');

    await saved();
    await page.reload();
    await page.getByRole('checkbox', { name: 'Buy oat milk' }).waitFor();
    expect(await page.getByRole('listitem').count()).toBe(1);
  });

  it('toggles, renames and deletes a task from the keyboard and mouse', async () => {
    await page.getByLabel('New task').fill('Write report');
    await page.keyboard.press('Enter');
    const report = page.getByRole('checkbox', { name: 'Write report' });
    await report.waitFor();

    // The box shows the new state as the click's own render, before the board's optimistic
    // update and the API: read at once, with no waiting. The page's timers are paused, so
    // TanStack Query's render of the update (on a setTimeout) stands still as under load.
    await saved(); // the task's create has settled: its box takes clicks
    await pauseClock();
    const patched = page.waitForResponse(
      (response) => response.request().method() === 'PATCH' && response.url().startsWith(api.url),
    );
    await report.click();
    expect(await report.isChecked()).toBe(true);
    // The save has settled while the board's render of it still waits for the paused clock:
    // the box must not fall back to the old state in between.
    await patched;
    expect(await report.isChecked()).toBe(true);
    await page.clock.resume();
    await page.locator('li.task.done', { hasText: 'Write report' }).waitFor();

    await page.getByRole('button', { name: 'Edit “Write report”' }).click();
    const title = page.getByLabel('Title of “Write report”');
    await title.fill('Write the quarterly report');
    await shot('06-dashboard-editing');
    await title.press('Enter');
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    await shot('07-dashboard-two-tasks');

    await deleteTask('Buy oat milk');

    await saved();
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
    // Down for the server too, so the page comes without its first page of tasks.
    await stopApi();
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Loading your tasks' }).waitFor();
    await shot('09-dashboard-loading');
    release();
    await page.getByText('Could not load your tasks').waitFor();
    await shot('10-dashboard-error');

    await startApiAgain();
    await page.unroute(apiCalls);
    await page.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    // The button went with the error: the focus is on the list's count, not the page body.
    await page.waitForFunction(() => document.activeElement?.id === 'task-count');

    await page.setViewportSize({ width: 390, height: 700 });
    await shot('11-dashboard-narrow');
    await page.setViewportSize({ width: 1024, height: 720 });
  });

  it('shows each change at once, and undoes it when the API is unreachable', async () => {
    const title = 'Write the quarterly report';
    const checkbox = page.getByRole('checkbox', { name: title });
    const unreachable = page.getByRole('alert').filter({ hasText: 'Could not reach the server' });

    // Toggle: unchecked before the API answers, checked again once it failed.
    let outage = await holdNextChange();
    await checkbox.click();
    expect(await checkbox.isChecked()).toBe(false); // at once, see above
    await page.locator('li.task:not(.done)[aria-busy="true"]', { hasText: title }).waitFor();
    outage.refuse();
    await page.locator('li.task.done[aria-busy="false"]', { hasText: title }).waitFor();
    await unreachable.waitFor();
    await outage.restore();

    // Rename: the new title at once, the old one back.
    outage = await holdNextChange();
    await page.getByRole('button', { name: `Edit “${title}”` }).click();
    await page.getByLabel(`Title of “${title}”`).fill('A title the API never saw');
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'A title the API never saw' }).waitFor();
    outage.refuse();
    await checkbox.waitFor();
    await unreachable.waitFor();
    await outage.restore();

    // Delete: gone at once, back in the list.
    outage = await holdNextChange();
    await deleteTask(title, { answered: false });
    outage.refuse();
    await checkbox.waitFor();
    await unreachable.waitFor();
    await outage.restore();

    // Create: in the list and out of the field at once; failed, the title is back to edit.
    const draft = 'A task the API never saw';
    const newTask = page.getByLabel('New task');
    outage = await holdNextChange();
    await newTask.fill(draft);
    await newTask.press('Enter');
    await page.getByRole('checkbox', { name: draft }).waitFor();
    expect(await newTask.inputValue()).toBe('');
    outage.refuse();
    await page.getByRole('checkbox', { name: draft }).waitFor({ state: 'detached' });
    await page.waitForFunction(
      (value) => (document.getElementById('new-task-title') as HTMLInputElement).value === value,
      draft,
    );
    await unreachable.waitFor();
    await shot('12-dashboard-change-failed');
    await outage.restore();
    await newTask.fill('');

    // Nothing of it reached the database.
    await page.reload();
    await checkbox.waitFor();
    expect(await checkbox.isChecked()).toBe(true);
    expect(await page.getByRole('listitem').count()).toBe(1);
  });

  it('Escape leaves the title as it was and gives the focus back to Edit', async () => {
    const title = 'Write the quarterly report';
    await page.getByRole('button', { name: `Edit “${title}”` }).click();
    const field = page.getByLabel(`Title of “${title}”`);
    await field.fill('Not this title');
    await field.press('Escape');
    await page.getByRole('checkbox', { name: title }).waitFor();
    await page.waitForFunction(
      (label) => document.activeElement?.getAttribute('aria-label') === label,
      `Edit “${title}”`,
    );
    expect(await page.getByRole('checkbox', { name: 'Not this title' }).count()).toBe(0);
  });

  it('task rows: the title does not tick, a quiet delete, one line on a phone, a count', async () => {
    const title = 'Write the quarterly report';
    const checkbox = page.getByRole('checkbox', { name: title });
    expect(await checkbox.isChecked()).toBe(true);
    // Clicking the title (to read it, to select it) leaves the task as it was.
    await page.locator('.task .title', { hasText: title }).click();
    expect(await checkbox.isChecked()).toBe(true);
    expect(await page.locator('li.task[aria-busy="true"]').count()).toBe(0);
    // Delete is an icon button, named for screen readers, not a red "Delete" on every row.
    const remove = page.getByRole('button', { name: `Delete “${title}”` });
    expect((await remove.innerText()).trim()).toBe('');
    expect(await remove.evaluate((button) => button.classList.contains('danger'))).toBe(false);
    expect(await page.locator('#task-count').innerText()).toBe('1 task, 1 done');

    // On a 375 px phone the checkbox, the title and the buttons share one line.
    await page.setViewportSize({ width: 375, height: 740 });
    const rows = await page.locator('li.task').evaluateAll((items) =>
      items.map((item) => {
        const box = (selector: string) => item.querySelector(selector)!.getBoundingClientRect();
        const [check, actions] = [box('input[type="checkbox"]'), box('.task-actions')];
        return { sameLine: actions.top < check.bottom && check.top < actions.bottom };
      }),
    );
    expect(rows).toEqual([{ sameLine: true }]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await page.setViewportSize({ width: 1024, height: 720 });
  });

  it('the focus ring has at least 3:1 contrast with what is around it', async () => {
    // From the keyboard (Tab), so :focus-visible applies as it does for a keyboard user.
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).focus();
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement;
      const style = getComputedStyle(active);
      // The ring sits outside the control (outline-offset), on its container's background.
      let around: Element | null = active.parentElement;
      let background = 'rgba(0, 0, 0, 0)';
      while (around) {
        background = getComputedStyle(around).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(background) && background !== 'transparent') break;
        around = around.parentElement;
      }
      return {
        label: active.getAttribute('aria-label'),
        color: style.outlineColor,
        width: parseFloat(style.outlineWidth),
        outlineStyle: style.outlineStyle,
        background,
        page: getComputedStyle(document.body).backgroundColor,
      };
    });
    expect(ring.label).toBe('Edit “Write the quarterly report”');
    expect(ring.outlineStyle).toBe('solid');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    expect(contrast(ring.color, ring.background)).toBeGreaterThanOrEqual(3);
    expect(contrast(ring.color, ring.page)).toBeGreaterThanOrEqual(3);
  });

  it('has a favicon, and no request of the pages so far was a 404', async () => {
    const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await page.request.get(new URL(href!, web.url).href);
    expect(icon.status()).toBe(200);
    expect(notFound).toEqual([]);
  });

  /** Adds a task through the form and waits until the API has it. */
  async function addTask(title: string) {
    await page.getByLabel('New task').fill(title);
    await page.getByLabel('New task').press('Enter');
    await page.getByRole('checkbox', { name: title }).waitFor();
    await saved();
  }

  /** Every DELETE the page sends to the API from now on (the method and path). */
  function recordDeletes() {
    const deletes: string[] = [];
    const listener = (request: import('playwright-core').Request) => {
      if (request.method() === 'DELETE' && request.url().startsWith(api.url)) {
        deletes.push(new URL(request.url()).pathname);
      }
    };
    page.on('request', listener);
    return { deletes, stop: () => page.off('request', listener) };
  }

  it('a delete waits for "Undo": Undo brings the task back and nothing is sent', async () => {
    await addTask('Call the plumber');
    const recorded = recordDeletes();
    await pauseClock();
    const remove = page.getByRole('button', { name: 'Delete “Call the plumber”' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'Call the plumber' }).waitFor({ state: 'detached' });
    const toast = page.getByRole('status').filter({ hasText: 'Deleted “Call the plumber”.' });
    await toast.waitFor();
    // The focus went to the next task, not to the page body.
    expect(await focusedCheckbox()).toBe('Write the quarterly report');
    // No axe here: it runs on timers, and the page's clock is paused (the toast must stay).
    await shot('13-dashboard-undo-toast', { axe: false });

    // Most of the window passes (on the page's clock): still nothing sent.
    await page.clock.runFor(UNDO_DELETE_MS - 100);
    expect(recorded.deletes).toEqual([]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('checkbox', { name: 'Call the plumber' }).waitFor();
    await toast.waitFor({ state: 'detached' });
    // The focus is back on the Delete button the user pressed.
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Delete “Call the plumber”',
    );
    // Long after the window: never sent.
    await page.clock.runFor(UNDO_DELETE_MS * 2);
    await page.clock.resume();
    await page.reload();
    await page.getByRole('checkbox', { name: 'Call the plumber' }).waitFor();
    expect(recorded.deletes).toEqual([]);
    recorded.stop();
  });

  it('a delete still goes out when the user leaves the page during the undo window', async () => {
    await pauseClock();
    await page.getByRole('button', { name: 'Delete “Call the plumber”' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted' }).waitFor();
    const sent = page.waitForRequest(
      (request) => request.method() === 'DELETE' && request.url().startsWith(api.url),
    );
    // A link to another page of the app, within the window: the board unmounts.
    await page.getByRole('link', { name: 'authbridge' }).click();
    await page.waitForURL(`${web.url}/`);
    await (await sent).response();
    await page.clock.resume();
    await page.goto(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Call the plumber' }).count()).toBe(0);
  });

  it('keeps the focus on a task ticked with Space while it saves, and after', async () => {
    const checkbox = page.getByRole('checkbox', { name: 'Write the quarterly report' });
    const pattern = `${api.url}/api/users/**`;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(pattern, async (route) => {
      if (route.request().method() === 'PATCH') await held;
      await route.continue();
    });
    await checkbox.focus();
    await page.keyboard.press('Space');
    expect(await checkbox.isChecked()).toBe(false); // at once, before the save
    await page.locator('li.task[aria-busy="true"]', { hasText: 'quarterly' }).waitFor();
    expect(await focusedCheckbox()).toBe('Write the quarterly report');
    // Space again while saving changes nothing (the control is aria-disabled, not disabled).
    await page.keyboard.press('Space');
    expect(await checkbox.isChecked()).toBe(false);
    release();
    await saved();
    expect(await focusedCheckbox()).toBe('Write the quarterly report');
    await page.unroute(pattern);
    // And back to done, for the tests after this one.
    await page.keyboard.press('Space');
    await saved();
    expect(await checkbox.isChecked()).toBe(true);
  });

  it('without JavaScript, the dashboard lists the tasks and says editing needs it', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    try {
      await page.goto(`${web.url}/dashboard`);
      // Rendered on the server: the task is there, no "Loading…" waiting for a script.
      await page.getByText('Write the quarterly report').waitFor();
      expect(await page.getByText('Loading your tasks').count()).toBe(0);
      await page.locator('#no-script-notice').waitFor();
      expect(await page.locator('#no-script-notice').innerText()).toMatch(/need JavaScript/);
      await shot('14-dashboard-no-javascript', { axe: false });
    } finally {
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
      await cdp.detach();
    }
    await page.goto(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
  });

  it('pages through the list with "Load more"', async () => {
    await page.getByLabel('New task').fill('Plan the next sprint');
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'Plan the next sprint' }).waitFor();
    await saved();

    // One task per page, so two tasks make two pages (the API's own keyset cursor).
    // The API is down while the page renders on the server (no first page from there), and
    // back for the board's own fetch, which the route cuts to one task per page.
    await stopApi();
    let up: () => void = () => {};
    const apiUp = new Promise<void>((resolve) => (up = resolve));
    const list = (url: URL) => url.href.startsWith(api.url) && url.pathname.endsWith('/tasks');
    await page.route(list, async (route) => {
      await apiUp;
      const url = new URL(route.request().url());
      if (route.request().method() === 'GET') url.searchParams.set('limit', '1');
      await route.continue({ url: url.toString() });
    });
    await page.reload();
    await startApiAgain();
    up();
    await page.getByRole('checkbox', { name: 'Plan the next sprint' }).waitFor();
    expect(await page.getByRole('listitem').count()).toBe(1);
    await page.getByRole('button', { name: 'Load more' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('listitem').count()).toBe(2);
    // The last "Load more" went: the focus is on the first task it brought.
    expect(await focusedCheckbox()).toBe('Write the quarterly report');
    await page.unroute(list);

    await deleteTask('Plan the next sprint');
    await saved();
  });

  it('a session that ends while the user types: sign in again, the draft is still there', async () => {
    await page.getByLabel('New task').fill('Half-typed idea');
    // The session ends (revoked elsewhere): no cookie any more, and the API refuses the token.
    await page.context().clearCookies();
    const pattern = `${api.url}/api/users/**`;
    await page.route(pattern, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{}' }),
    );
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).click();
    await page.waitForURL(/\/sign-in\?returnUrl=\/dashboard&reason=session_ended$/);
    await page.getByText('Your session ended, sign in again.').waitFor();
    await page.unroute(pattern);
    // The draft is in the tab's sessionStorage (text only; no token: checked further down).
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.waitForFunction(
      () =>
        (document.getElementById('new-task-title') as HTMLInputElement | null)?.value ===
        'Half-typed idea',
    );
    await page.getByLabel('New task').fill('');
    expect(
      await page.getByRole('checkbox', { name: 'Write the quarterly report' }).isChecked(),
    ).toBe(true);
  });

  it('signs out, and a wrong password gets the shared message', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    // The focus on the message (no single field is wrong), and the password still there.
    await page.waitForFunction(() => document.activeElement?.id === 'form-error');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('not my password');
    await shot('08-sign-in-wrong-password');

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
  });

  it('a second user in the same tab sees only their own (empty) list', async () => {
    // Sign-out and sign-up are soft navigations: the first user's token must not linger.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Second User');
    // The first user's email: taken, with a real link to sign in instead.
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#email-error').getByRole('link', { name: 'Sign in instead' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'email');
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe(password);
    await page.getByLabel('Email').fill(uniqueEmail('second'));
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByText('No tasks yet').waitFor();
  });

  it('ran all of the above with the CSP on and not one violation', async () => {
    const response = await page.goto(`${web.url}/dashboard`);
    expect(response?.headers()['content-security-policy']).toMatch(
      /'nonce-[^']+' 'strict-dynamic'/,
    );
    // Hydrated (a client component fetched the list through the API) under that policy.
    await page.getByText('No tasks yet').waitFor();
    expect(violations).toEqual([]);
  });

  it('keeps the API token out of every browser storage', async () => {
    expect(tokens.length).toBeGreaterThan(0);
    const stored = await page.evaluate(
      () =>
        JSON.stringify({ ...localStorage }) +
        JSON.stringify({ ...sessionStorage }) +
        document.cookie,
    );
    for (const token of tokens) expect(stored).not.toContain(token);
    for (const cookie of await page.context().cookies()) rememberSecret(cookie.value);
  });

  it('the CSP is enforced: a script without the nonce does not run', async () => {
    // On the same page: the bundled Chromium runs single-process, and closing a second
    // page can take this one down with it.
    await page.goto(`${web.url}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const reported = page.waitForEvent('console', {
      predicate: (message) => /\[csp-violation\] script-src-attr/.test(message.text()),
    });
    // An injected inline handler, the usual shape of an XSS payload. (Scripts inserted by
    // code Playwright evaluates are exempt from the CSP in Chromium; handlers are not.)
    const ran = await page.evaluate(() => {
      const button = document.createElement('button');
      button.setAttribute('onclick', 'window.__injected = true');
      document.body.append(button);
      button.click();
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await reported;
  });

  it('drops the token of the user before when the session changed outside this tab', async () => {
    // This tab holds the second user's API token in memory...
    await page.goto(`${web.url}/dashboard`);
    await page.getByText('No tasks yet').waitFor();
    await page.getByRole('link', { name: 'authbridge' }).click();
    await page.waitForURL(`${web.url}/`);
    // ...when another tab signs in as the first user: only the cookie changes.
    const signedIn = await postAuth(web.url, '/sign-in/email', { email, password }, {});
    expect(signedIn.status).toBe(200);
    const cookies = signedIn.headers.getSetCookie().map((line) => {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const value = pair!.slice(at + 1).trim();
      rememberSecret(value);
      return { name: pair!.slice(0, at).trim(), value, url: web.url };
    });
    await page.context().addCookies(cookies);
    // A soft navigation: same JavaScript, same token manager, a page for the first user.
    await page.getByRole('link', { name: 'Tasks', exact: true }).click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
  });

  it('looks right at desktop and phone sizes (screenshots for people, axe on each)', async () => {
    const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      await page.goto(`${web.url}/dashboard`);
      await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
      await shot(`size-dashboard-${size}`);
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${web.url}/`);
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      await page.goto(`${web.url}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await shot(`size-home-${size}`);
      await page.goto(`${web.url}/sign-in?returnUrl=/dashboard&reason=sign_in_required`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password', { exact: true }).fill('not my password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.locator('#form-error').waitFor();
      await shot(`size-sign-in-error-${size}`);
    }
    await page.setViewportSize({ width: 1024, height: 720 });
  });

  it('too many attempts: the wait counts down and the button waits with it', async () => {
    await page.goto(`${web.url}/sign-in?returnUrl=/dashboard&error=rate_limited&retry=3`);
    const submit = page.locator('form.form button[type="submit"]');
    await submit.filter({ hasText: /^Wait \d s$/ }).waitFor();
    await pauseClock();
    const first = Number((await submit.innerText()).match(/\d/)![0]);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await submit.isDisabled()).toBe(true);
    expect(await page.locator('#form-error').innerText()).toBe(
      `Too many attempts, try again in ${first} s.`,
    );
    if (first > 1) {
      await page.clock.runFor(1_000);
      await submit.filter({ hasText: `Wait ${first - 1} s` }).waitFor();
      expect(await submit.isDisabled()).toBe(true);
    }
    await page.clock.runFor(first * 1_000);
    await submit.filter({ hasText: /^Sign in$/ }).waitFor();
    expect(await submit.isDisabled()).toBe(false);
    expect(await page.locator('#form-error').innerText()).toBe('You can try again now.');
    await page.clock.resume();
  });

  it('wrong passwords again: the server says wait, the form counts down, the right one still gets in', async () => {
    // Three wrong passwords on this account from this browser so far (one, then one per
    // screen size): its back-off runs, so the next wrong one is answered "wait".
    await page.goto(`${web.url}/sign-in?returnUrl=/dashboard`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not my password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const submit = page.locator('form.form button[type="submit"]');
    await submit.filter({ hasText: /^Wait \d+ min/ }).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await shot('10-sign-in-too-many-attempts');

    await pauseClock();
    const first = secondsOf(await submit.innerText());
    // The server's wait (a 15-min back-off here), not a guess of the page's, in minutes.
    expect(first).toBeGreaterThan(800);
    expect(first).toBeLessThanOrEqual(900);
    expect(await submit.innerText()).toBe(`Wait ${formatWait(first)}`);
    expect(await page.locator('#form-error').innerText()).toBe(
      `Too many attempts, try again in ${formatWait(first)}.`,
    );
    await page.clock.runFor(1_000);
    await submit.filter({ hasText: `Wait ${formatWait(first - 1)}` }).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    expect(await page.locator('#form-error').innerText()).toBe(
      `Too many attempts, try again in ${formatWait(first - 1)}.`,
    );
    await page.clock.runFor((first - 2) * 1_000);
    await submit.filter({ hasText: 'Wait 1 s' }).waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await page.clock.runFor(1_000);
    await submit.filter({ hasText: /^Sign in$/ }).waitFor();
    expect(await submit.isDisabled()).toBe(false);
    const again = page.locator('#form-error');
    expect(await again.innerText()).toBe('You can try again now.');
    // Good news by then: a notice, not the error's look.
    expect(await again.getAttribute('class')).toBe('notice');
    await page.clock.resume();
    await shot('11-sign-in-try-again-now');

    // The server's back-off still runs (real time), but the right password is let through.
    await page.getByLabel('Password', { exact: true }).fill(password);
    await submit.click();
    await page.waitForURL(`${web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
  });

  it('no password, session cookie, token or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
