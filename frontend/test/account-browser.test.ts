import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectNoAxeViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { postAuth, uniqueEmail } from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { linkIn, mailTo, startTestMailCatcher, type MailCatcher } from './support/mail';
import {
  FRONTEND_DIR,
  freePort,
  runMigrate,
  startApi,
  startWeb,
  type Running,
} from './support/processes';
import { rememberSecret } from './support/secrets';

// The account lifecycle in a real headless Chromium, against the built web app (mail on,
// sign-in waiting for a confirmed email) and the built Tasks API. Mails are read from the
// in-process SMTP catcher `npm run dev` uses. Screenshots land in frontend/test-results/.
const SCREENSHOTS = path.join(FRONTEND_DIR, 'test-results');
const databaseUrl = () => process.env.DATABASE_URL!;

let web: Running;
let api: Running;
let mail: MailCatcher;
let pool: Pool;
let browser: Browser;
const contexts: BrowserContext[] = [];

const PASSWORD = 'violet harbour lantern';
const NEW_PASSWORD = 'granite meadow compass';
for (const secret of [PASSWORD, NEW_PASSWORD, 'another quiet river']) rememberSecret(secret);

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
  mail = await startTestMailCatcher();
  pool = new Pool({ connectionString: databaseUrl() });
  const apiPort = await freePort();
  web = await startWeb({
    databaseUrl: databaseUrl(),
    apiUrl: `http://localhost:${apiPort}`,
    // Many sign-ins from one address: the limit stays on, raised through configuration.
    rateLimitMax: 50,
    smtpUrl: mail.smtpUrl,
    requireEmailVerification: true,
  });
  api = await startApi({ databaseUrl: databaseUrl(), webUrl: web.url, port: apiPort });
  // Several users at once, each in a browser context of their own.
  ({ browser } = await launchChromium({ multiProcess: true }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([web?.stop(), api?.stop()]);
  await mail?.stop();
  await pool?.end();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  contexts.push(context);
  return context.newPage();
}

/**
 * A screenshot of the page in its current state, and axe-core on that same state (0
 * violations, the rules browser.test.ts uses): every state shown here is checked.
 */
async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `account-${name}.png`), fullPage: true });
  await expectNoAxeViolations(page, name);
}

/** A confirmed account, made over HTTP (the verification flow itself has its own test). */
async function confirmedUser(): Promise<{ email: string; id: string }> {
  const email = uniqueEmail('acct');
  const signUp = await postAuth(
    web.url,
    '/sign-up/email',
    { email, password: PASSWORD, name: 'Account Tester' },
    {},
  );
  expect(signUp.status).toBe(200);
  const id = (signUp.body.user as { id: string }).id;
  await pool.query('UPDATE "user" SET "emailVerified" = true WHERE id = $1', [id]);
  return { email, id };
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${web.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function expectSignedOut(page: Page) {
  await page.goto(`${web.url}/dashboard`);
  await page.waitForURL(/\/sign-in\?returnUrl=/);
}

describe('in a real browser', () => {
  // What each page showed when a test ended: the screenshot a failure needs.
  afterEach(async () => {
    const name = expect.getState().currentTestName?.replace(/\W+/g, '-').slice(0, 60) ?? 'test';
    const pages = contexts.flatMap((context) => context.pages());
    await Promise.all(
      pages.map((page, i) =>
        page
          .screenshot({ path: path.join(SCREENSHOTS, `account-end-${name}-${i}.png`) })
          .catch(() => undefined),
      ),
    );
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  it('email verification: sign-up waits for the mailed link, which signs the user in', async () => {
    const page = await newPage();
    const email = uniqueEmail('verify');
    await page.goto(`${web.url}/sign-up`);
    await page.getByLabel('Name').fill('Vera');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${web.url}/verify-email`);
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await shot(page, '01-verify-email');

    await signIn(page, email, PASSWORD);
    await page.getByText('Confirm your email address first').waitFor();

    const message = await mailTo(mail, email, /Confirm your email/);
    await page.goto(linkIn(message, '/api/auth/verify-email').href);
    await page.waitForURL(`${web.url}/`);
    await page.goto(`${web.url}/dashboard`);
    await page.getByRole('heading', { name: 'Your tasks' }).waitFor();
  });

  it('password reset: the mailed link works once, the old password and other sessions end', async () => {
    const { email } = await confirmedUser();
    const other = await newPage();
    await signIn(other, email, PASSWORD);
    await other.waitForURL(`${web.url}/dashboard`);

    const page = await newPage();
    await page.goto(`${web.url}/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(`${web.url}/forgot-password`);
    await shot(page, '02-forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText(/^If an account exists for that email/).waitFor();
    await shot(page, '02-forgot-password-sent');

    const link = linkIn(await mailTo(mail, email, /Reset your/), '/reset-password');
    await page.goto(link.href);
    await page.getByLabel('New password', { exact: true }).waitFor();
    await shot(page, '03-reset-password');
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText(/common or breached/).waitFor();
    await shot(page, '03-reset-common-refused');

    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.waitForURL(`${web.url}/sign-in?notice=password_reset`);
    await page.getByText('Your password was changed').waitFor();

    // The same link again: refused.
    await page.goto(link.href);
    await page.getByLabel('New password', { exact: true }).fill('another quiet river');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText(/not valid any more/).waitFor();
    await shot(page, '03-reset-link-used');

    await signIn(page, email, PASSWORD);
    await page.getByText('Wrong email or password.').waitFor();
    await signIn(page, email, NEW_PASSWORD);
    await page.waitForURL(`${web.url}/dashboard`);

    // The session that was open elsewhere has ended.
    await expectSignedOut(other);
  });

  it('password reset: an expired link is refused (the stored expiry moved into the past)', async () => {
    const { email, id } = await confirmedUser();
    const page = await newPage();
    await page.goto(`${web.url}/forgot-password`);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    const link = linkIn(await mailTo(mail, email, /Reset your/), '/reset-password');
    await pool.query(
      `UPDATE verification SET "expiresAt" = now() - interval '1 second' WHERE value = $1`,
      [id],
    );
    await page.goto(link.href);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText(/not valid any more/).waitFor();
    await shot(page, '03-reset-link-expired');
    // Opened without the mail's token at all.
    await page.goto(`${web.url}/reset-password`);
    await page.getByText('This page needs the link from the reset mail.').waitFor();
    await shot(page, '03-reset-password-no-token');
    await signIn(page, email, PASSWORD);
    await page.waitForURL(`${web.url}/dashboard`);
  });

  it('sessions: lists them, signs out one, then everywhere else', async () => {
    const { email } = await confirmedUser();
    const [laptop, phone, tablet] = [await newPage(), await newPage(), await newPage()];
    for (const page of [laptop, phone, tablet]) {
      await signIn(page, email, PASSWORD);
      await page.waitForURL(`${web.url}/dashboard`);
    }
    await laptop.goto(`${web.url}/account`);
    const list = laptop.getByRole('list', { name: 'Active sessions' });
    await expectCount(laptop, 3);
    await list.getByText('(this browser)').waitFor();
    await list
      .getByText(/Chrome \d+ on Linux/)
      .first()
      .waitFor();
    await shot(laptop, '04-sessions');

    await laptop
      .getByRole('button', { name: /^Sign out this one/ })
      .first()
      .click();
    // (Its row, and the row's message with it, goes away with the session.)
    await expectCount(laptop, 2);

    await laptop.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await laptop.getByText('Every other session was signed out.').waitFor();
    await expectCount(laptop, 1);
    await shot(laptop, '05-sessions-only-this-one');

    await expectSignedOut(phone);
    await expectSignedOut(tablet);
    await laptop.goto(`${web.url}/dashboard`);
    await laptop.getByRole('heading', { name: 'Your tasks' }).waitFor();
  });

  it('change password: needs the current one, can end the other sessions', async () => {
    const { email } = await confirmedUser();
    const [page, other] = [await newPage(), await newPage()];
    for (const p of [page, other]) {
      await signIn(p, email, PASSWORD);
      await p.waitForURL(`${web.url}/dashboard`);
    }
    await page.goto(`${web.url}/account`);
    const form = page.locator('form#password');
    await form.getByLabel('Current password').fill('not my password');
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('That is not your current password.').waitFor();
    await shot(page, '07-password-wrong-current');

    await form.getByLabel('Current password').fill(PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    expect(await form.getByLabel('Sign out every other session').isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(`${web.url}/account?notice=password_changed_others`);
    await page.getByText('every other session was signed out').waitFor();
    // Signed in still, with the session Better Auth made for the new password.
    await page.getByText('(this browser)').waitFor();
    await shot(page, '07-password-changed');

    await expectSignedOut(other);
    await page.goto(`${web.url}/dashboard`);
    await page.getByRole('heading', { name: 'Your tasks' }).waitFor();
  });

  it('account page: name form with an error, then saved; desktop and phone sizes', async () => {
    const { email } = await confirmedUser();
    const page = await newPage();
    await signIn(page, email, PASSWORD);
    await page.waitForURL(`${web.url}/dashboard`);
    await page.goto(`${web.url}/account`);
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await shot(page, '08-account');

    const form = page.locator('form#name');
    // Spaces pass the browser's `required`; the server's check answers.
    await form.getByLabel('Name').fill('   ');
    await form.getByRole('button', { name: 'Save name' }).click();
    await form.getByText('Enter your name.').waitFor();
    await shot(page, '08-name-error');
    await form.getByLabel('Name').fill('Ada Lovelace');
    await form.getByRole('button', { name: 'Save name' }).click();
    await form.getByText('Your name was saved.').waitFor();
    await shot(page, '08-name-saved');

    // A second session, so the list shows a row with its own "Sign out this one" button.
    const other = await newPage();
    await signIn(other, email, PASSWORD);
    await other.waitForURL(`${web.url}/dashboard`);
    const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.setViewportSize(viewport);
      await page.goto(`${web.url}/account`);
      await expectCount(page, 2);
      await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
      await shot(page, `size-${size}`);
    }
  });

  it('delete account: asks for the password, then removes the user and their tasks', async () => {
    const { email, id } = await confirmedUser();
    const page = await newPage();
    await signIn(page, email, PASSWORD);
    await page.waitForURL(`${web.url}/dashboard`);
    for (const title of ['First task', 'Second task']) {
      await page.getByLabel('New task').fill(title);
      await page.getByRole('button', { name: 'Add task' }).click();
      await page.getByRole('checkbox', { name: title }).waitFor();
    }
    await page.locator('.board[aria-busy="false"]').waitFor();
    const tasksOf = async () =>
      (await pool.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [id])).rows[0]
        .n as number;
    expect(await tasksOf()).toBe(2);

    await page.goto(`${web.url}/account`);
    const form = page.locator('form#delete');
    await form.getByLabel('Password').fill('not my password');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('That is not your current password.').waitFor();
    expect(await tasksOf()).toBe(2);
    await shot(page, '06-delete-wrong-password');

    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await page.waitForURL(`${web.url}/?notice=account_deleted`);
    await page.getByText('Your account and all your tasks were deleted.').waitFor();

    expect(await tasksOf()).toBe(0);
    const { rows } = await pool.query('SELECT 1 FROM "user" WHERE id = $1', [id]);
    expect(rows).toHaveLength(0);
    await signIn(page, email, PASSWORD);
    await page.getByText('Wrong email or password.').waitFor();
  });
});

/** The sessions list shows `n` entries (waits for a re-render, backstop timeout only). */
async function expectCount(page: Page, n: number) {
  await page
    .locator('ul.sessions > li')
    .nth(n - 1)
    .waitFor();
  await page.locator('ul.sessions > li').nth(n).waitFor({ state: 'detached' });
}

describe('logs', () => {
  it('no password, token, cookie or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
