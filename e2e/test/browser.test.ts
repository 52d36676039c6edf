import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../frontend/test/support/browser';
import { CookieJar, fetchToken, postAuth, uniqueEmail } from '../../frontend/test/support/http';
import { callApi, startStack, type Stack } from './support/stack';

// The user's journeys through the UI only, in a real headless Chromium (the frontend's
// set-up: CHROME_PATH, else a system Chromium, else @sparticuz/chromium), against the built
// web app and the built API on a throw-away database. Screenshots of each final state land
// in e2e/test-results/ (git-ignored).
//
// Tokens here live 35 s (AUTH_JWT_LIFETIME_SECONDS): long enough that the browser kit keeps
// one (it refreshes 30 s before expiry), short enough that the expired-token journey waits
// for a real expiry instead of faking the API's answer.

const SCREENSHOTS = path.join(__dirname, '../test-results');
const TOKEN_LIFETIME_SECONDS = 35;
const PASSWORD = 'a long enough password';

let stack: Stack;
let browser: Browser;
let page: Page;
/** Every JWT the page took from /api/auth/token, in order. */
const tokens: string[] = [];
/** Every answer of the API to the page: status and the token it carried. */
const apiCalls: { method: string; url: string; status: number; token?: string }[] = [];
/** Every request the page sent to the API (answered or not), and its Authorization header. */
const apiRequests: { method: string; url: string; authorization?: string }[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The board has no change in flight (it shows changes before the API confirms them). */
async function saved() {
  await page.locator('.board[aria-busy="false"]').waitFor();
}

async function signUpInUi(name: string, email: string) {
  await page.goto(`${stack.web.url}/sign-up`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${stack.web.url}/dashboard`);
}

async function addTask(title: string) {
  await page.getByLabel('New task').fill(title);
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.getByRole('checkbox', { name: title }).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${stack.web.url}/`);
}

async function taskTitles(): Promise<string[]> {
  await saved();
  return page.locator('li.task .title').allTextContents();
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  stack = await startStack(process.env.DATABASE_URL!, {
    AUTH_JWT_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS),
  });
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
  page.on('request', async (request) => {
    if (!request.url().startsWith(stack.api.url) || request.method() === 'OPTIONS') return;
    const { authorization } = await request.allHeaders();
    apiRequests.push({ method: request.method(), url: request.url(), authorization });
  });
  page.on('response', async (response) => {
    const request = response.request();
    if (response.url() === `${stack.web.url}/api/auth/token` && response.status() === 200) {
      const { token } = (await response.json().catch(() => ({}))) as { token?: string };
      if (token) tokens.push(token);
    } else if (response.url().startsWith(stack.api.url) && request.method() !== 'OPTIONS') {
      const auth = (await request.allHeaders()).authorization;
      apiCalls.push({
        method: request.method(),
        url: response.url(),
        status: response.status(),
        token: auth?.replace(/^Bearer /, ''),
      });
    }
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('a user, through the UI only', () => {
  const first = { name: 'First User', email: uniqueEmail('e2e-first') };

  it('signs up, lands on the dashboard, creates, toggles, edits and deletes tasks; a reload keeps them', async () => {
    await signUpInUi(first.name, first.email);
    await page.getByText('No tasks yet').waitFor();

    await addTask('Buy oat milk');
    await addTask('Write report');
    await addTask('Call the plumber');

    await page.getByRole('checkbox', { name: 'Buy oat milk' }).check();
    await page.locator('li.task.done', { hasText: 'Buy oat milk' }).waitFor();

    await page.getByRole('button', { name: 'Edit “Write report”' }).click();
    const title = page.getByLabel('Title of “Write report”');
    await title.fill('Write the quarterly report');
    await title.press('Enter');
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();

    // Delete offers an undo for a few seconds and sends the DELETE after it: wait for that
    // answer (a condition; Playwright's timeout only bounds a broken run).
    const deleted = page.waitForResponse(
      (response) =>
        response.request().method() === 'DELETE' && response.url().startsWith(stack.api.url),
    );
    await page.getByRole('button', { name: 'Delete “Call the plumber”' }).click();
    await page.getByRole('checkbox', { name: 'Call the plumber' }).waitFor({ state: 'detached' });
    expect((await deleted).status()).toBe(204);

    await saved();
    await page.reload();
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    expect((await taskTitles()).sort()).toEqual(['Buy oat milk', 'Write the quarterly report']);
    expect(await page.getByRole('checkbox', { name: 'Buy oat milk' }).isChecked()).toBe(true);
    await shot('e2e-01-tasks-after-reload');
  });

  it('signs out; /dashboard then goes to sign-in with returnUrl, and signing in comes back to the same tasks', async () => {
    await signOut();
    await page.goto(`${stack.web.url}/dashboard`);
    await page.waitForURL(/\/sign-in\?returnUrl=(%2F|\/)dashboard&reason=sign_in_required$/);
    await page.getByText('Sign in to continue').waitFor();
    await page.getByLabel('Email').fill(first.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.web.url}/dashboard`);
    await page.getByRole('checkbox', { name: 'Write the quarterly report' }).waitFor();
    expect((await taskTitles()).sort()).toEqual(['Buy oat milk', 'Write the quarterly report']);
    await shot('e2e-02-back-after-sign-in');
  });

  it("a second user sees none of the first user's tasks", async () => {
    await signOut();
    await signUpInUi('Second User', uniqueEmail('e2e-second'));
    await page.getByText('No tasks yet').waitFor();
    expect(await page.locator('li.task').count()).toBe(0);
    await shot('e2e-03-second-user-empty');
  });

  it('a request made with an expired token recovers silently: refreshed, retried, no error shown', async () => {
    // The page's clock stands still (timers keep running): the browser kit believes its token
    // fresh for as long as this test needs, while the API's real clock moves on.
    await page.clock.setFixedTime(new Date());
    await page.reload();
    await page.getByText('No tasks yet').waitFor();
    // The server rendered the first page of tasks, so the page holds no token yet: a first
    // change makes the browser kit take one and keep it.
    const firstCreate = page.waitForResponse(
      (r) => r.url().startsWith(stack.api.url) && r.request().method() === 'POST',
    );
    await addTask('Written with the first token');
    expect((await firstCreate).status()).toBe(201);
    const stale = (await (await firstCreate).request().allHeaders()).authorization!.slice(7);
    await saved();
    const fetchedBefore = tokens.length;

    // Wait until the API itself refuses that token as expired (a condition, not a duration;
    // the backstop only bounds a broken run).
    const deadline = Date.now() + 3 * TOKEN_LIFETIME_SECONDS * 1000;
    for (;;) {
      const answer = await callApi(stack.api, 'GET', '/api/me', stale);
      if (answer.status === 401) {
        expect(answer.body).toMatchObject({ code: 'token_expired' });
        break;
      }
      if (Date.now() > deadline) throw new Error('the token never expired');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }

    const callsBefore = apiCalls.length;
    await addTask('Written after the token expired');
    await saved();
    const calls = apiCalls.slice(callsBefore);
    const create = calls.filter((call) => call.method === 'POST');
    expect(create.map((call) => call.status)).toEqual([401, 201]);
    expect(create[0].token).toBe(stale);
    expect(create[1].token).not.toBe(stale);
    expect(tokens.length).toBeGreaterThan(fetchedBefore);
    // The app's own alerts (Next's route announcer, also role="alert", sits outside <main>).
    expect(await page.locator('main [role="alert"]').allTextContents()).toEqual([]);
    expect(page.url()).toBe(`${stack.web.url}/dashboard`);

    await page.reload();
    await page.getByRole('checkbox', { name: 'Written after the token expired' }).waitFor();
    await shot('e2e-04-recovered-after-expiry');
  }, 240_000);

  it('no JWT in localStorage, sessionStorage or document.cookie', async () => {
    expect(tokens.length).toBeGreaterThan(0);
    const stored = await page.evaluate(
      () =>
        JSON.stringify({ ...localStorage }) +
        JSON.stringify({ ...sessionStorage }) +
        document.cookie,
    );
    for (const token of tokens) expect(stored).not.toContain(token);
    // Nor anything shaped like one (three base64url segments starting with a JSON header).
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('after the session is revoked server-side, the next API call sends the user to sign-in, with no retry', async () => {
    // As in the expired-token journey, the page's clock stands still so the browser kit keeps
    // the token it has (tokens here live 35 s; it would refresh one 30 s before expiry).
    await page.clock.setFixedTime(new Date());
    await page.context().clearCookies(); // whoever was signed in: a new visitor (a page load follows)
    const user = { name: 'Revoked User', email: uniqueEmail('e2e-revoked') };
    // The server renders the first page of tasks; a first change makes the kit take a token
    // and keep it in memory.
    await signUpInUi(user.name, user.email);
    await page.getByText('No tasks yet').waitFor();
    const created = page.waitForResponse(
      (r) => r.url().startsWith(stack.api.url) && r.request().method() === 'POST',
    );
    await addTask('Written before the revocation');
    expect((await created).status()).toBe(201);
    const cached = (await (await created).request().allHeaders()).authorization!.slice(7);
    await saved();
    expect(tokens).toContain(cached);

    // The same user signs in elsewhere (a plain HTTP client, another device) and signs out
    // everywhere else: Better Auth's own route, never through the page under test.
    const elsewhere = new CookieJar();
    const signIn = await postAuth(
      stack.web.url,
      '/sign-in/email',
      { email: user.email, password: PASSWORD },
      { jar: elsewhere },
    );
    expect(signIn.status).toBe(200);
    const revoke = await postAuth(stack.web.url, '/revoke-other-sessions', {}, { jar: elsewhere });
    expect(revoke.status).toBe(200);

    // Wait until the API refuses the page's token as revoked (a condition; the backstop only
    // bounds a broken run, e.g. revocation off, when the token would only expire).
    const deadline = Date.now() + 3 * TOKEN_LIFETIME_SECONDS * 1000;
    for (;;) {
      const answer = await callApi(stack.api, 'GET', '/api/me', cached);
      if (answer.status === 401) {
        expect(answer.body).toMatchObject({ code: 'session_revoked' });
        break;
      }
      if (Date.now() > deadline) throw new Error('the API never refused the revoked token');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Only that session ended: the session that revoked it still gets tokens the API takes.
    const other = (await (await fetchToken(stack.web.url, { jar: elsewhere })).json()) as {
      token: string;
    };
    expect((await callApi(stack.api, 'GET', '/api/me', other.token)).status).toBe(200);

    const callsBefore = apiCalls.length;
    const requestsBefore = apiRequests.length;
    const tokensBefore = tokens.length;
    const refused = page.waitForResponse(
      (r) => r.url().startsWith(stack.api.url) && r.request().method() === 'POST',
    );
    await page.getByLabel('New task').fill('Written after the revocation');
    await page.getByRole('button', { name: 'Add task' }).click();
    expect((await refused).status()).toBe(401);
    // The header, not the body: the page may have navigated away before the body is read.
    expect((await refused).headers()['www-authenticate']).toContain(
      'error_description="The session of the token was revoked"',
    );
    await page.waitForURL(/\/sign-in\?returnUrl=(%2F|\/)dashboard&reason=session_ended$/);
    await page.getByText('Your session ended, sign in again.').waitFor();

    // The refused call is not repeated, no refreshed token is sent, no new JWT is issued. The
    // board's refetch of the list (invalidated after the failed change) finds no session and
    // is not sent: nothing reaches the API without a token.
    const after = apiCalls.slice(callsBefore).map(({ method, status, token }) => ({
      method,
      status,
      token,
    }));
    expect(after.filter((call) => call.token !== undefined)).toEqual([
      { method: 'POST', status: 401, token: cached },
    ]);
    const sent = apiRequests.slice(requestsBefore);
    expect(sent.filter((request) => !request.authorization)).toEqual([]);
    expect(sent.map(({ method }) => method)).toContain('POST');
    expect(tokens.length).toBe(tokensBefore);
    await shot('e2e-05-revoked-to-sign-in');
  }, 240_000);
});
