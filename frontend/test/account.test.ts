import { Pool } from 'pg';
import { alertText, CookieJar, postAuth, submitForm, uniqueEmail, uniqueIp } from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { linkIn, mailTo, startTestMailCatcher, type MailCatcher } from './support/mail';
import {
  runMigrate,
  startWeb,
  startWebExpectingExit,
  TEST_SECRET,
  type Running,
} from './support/processes';
import { rememberSecret } from './support/secrets';

// The account lifecycle against the BUILT app with mail on: an in-process SMTP catcher (the
// one `npm run dev` starts) receives every mail, and the tests follow the links in them.
const databaseUrl = () => process.env.DATABASE_URL!;
let web: Running;
let verifying: Running;
let mail: MailCatcher;
let pool: Pool;

const GOOD = 'correct horse battery';
const NEW_GOOD = 'tulip ferry orbit';

beforeAll(async () => {
  const migrated = await runMigrate(databaseUrl());
  expect(migrated.code).toBe(0);
  mail = await startTestMailCatcher();
  pool = new Pool({ connectionString: databaseUrl() });
  // The limit's window is an hour, so "the 4th rapid request is refused" holds however slow
  // the machine is (with the default 10 s, a loaded machine let the window pass between
  // requests). Every test sends from addresses of its own, so no bucket is shared.
  const rateLimitWindowSeconds = 3600;
  [web, verifying] = await Promise.all([
    startWeb({
      databaseUrl: databaseUrl(),
      trustProxyHops: 1,
      smtpUrl: mail.smtpUrl,
      rateLimitWindowSeconds,
    }),
    startWeb({
      databaseUrl: databaseUrl(),
      trustProxyHops: 1,
      smtpUrl: mail.smtpUrl,
      requireEmailVerification: true,
      rateLimitWindowSeconds,
    }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([web?.stop(), verifying?.stop()]);
  await mail?.stop();
  await pool?.end();
});

async function signUp(app: Running, email: string, password = GOOD) {
  const jar = new CookieJar();
  const response = await postAuth(
    app.url,
    '/sign-up/email',
    { email, password, name: 'Ada' },
    { ip: uniqueIp(), jar },
  );
  return { response, jar };
}

async function signIn(app: Running, email: string, password: string) {
  const jar = new CookieJar();
  const response = await postAuth(
    app.url,
    '/sign-in/email',
    { email, password },
    { ip: uniqueIp(), jar },
  );
  return { response, jar };
}

/**
 * Ten wrong passwords from ten addresses (the address counters stay low): the account is
 * under attack, and even its right password is refused unchecked. Ten failures make a
 * 15-min back-off whatever the first one is, so the refusal does not depend on speed.
 */
async function underAttack(email: string) {
  for (let i = 0; i < 10; i++) {
    const { response } = await signIn(web, email, 'wrong password');
    expect([401, 429]).toContain(response.status); // 429 once a back-off runs
  }
  const refused = await signIn(web, email, GOOD);
  expect([refused.response.status, refused.response.body.code]).toEqual([
    429,
    'TOO_MANY_FAILED_SIGN_INS',
  ]);
}

async function sessionOf(app: Running, jar: CookieJar) {
  const response = await fetch(`${app.url}/api/auth/get-session`, {
    headers: { cookie: jar.header() },
  });
  return response.json() as Promise<{ user: { id: string } } | null>;
}

function fieldMessage(html: string, formId: string, field: string): string | undefined {
  return html.match(new RegExp(`id="${formId}-${field}-field-error"[^>]*>([^<]*)<`))?.[1];
}
/** The form's own status line (ActionForm: id="<form>-notice"). */
function formNotice(html: string, formId: string): string | undefined {
  return html.match(new RegExp(`id="${formId}-notice"[^>]*>([^<]*)<`))?.[1];
}

describe('password rules (NIST SP 800-63B) on every path that sets a password', () => {
  it('HTTP sign-up refuses a common password, says why, and creates no user', async () => {
    const email = uniqueEmail();
    const { response } = await signUp(web, email, 'password123');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'PASSWORD_TOO_COMMON',
      message: expect.stringMatching(/common or breached/),
    });
    const { rows } = await pool.query('SELECT 1 FROM "user" WHERE email = $1', [email]);
    expect(rows).toHaveLength(0);
  });

  it('the sign-up form (server action) refuses a common password with the same words', async () => {
    const post = await submitForm(
      web.url,
      '/sign-up',
      { name: 'Lin', email: uniqueEmail(), password: 'iloveyou123' },
      { ip: uniqueIp() },
    );
    expect(post.status).toBe(200);
    expect(post.html.match(/id="password-error"[^>]*>([^<]*)</)?.[1]).toMatch(/common or breached/);
  });

  it('HTTP change-password refuses a common new password and keeps the old one', async () => {
    const email = uniqueEmail();
    const { jar } = await signUp(web, email);
    rememberSecret('qwerty123456');
    const change = await fetch(`${web.url}/api/auth/change-password`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: web.url,
        cookie: jar.header(),
        'x-forwarded-for': uniqueIp(),
      },
      body: JSON.stringify({ currentPassword: GOOD, newPassword: 'qwerty123456' }),
    });
    expect(change.status).toBe(400);
    expect((await change.json()).code).toBe('PASSWORD_TOO_COMMON');
    expect((await signIn(web, email, GOOD)).response.status).toBe(200);
  });

  it('HTTP change-password lifts "under attack" on the account too (the session proves the owner)', async () => {
    const email = uniqueEmail('attacked');
    const { jar } = await signUp(web, email);
    await underAttack(email);

    rememberSecret(NEW_GOOD);
    const change = await fetch(`${web.url}/api/auth/change-password`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: web.url,
        cookie: jar.header(),
        'x-forwarded-for': uniqueIp(),
      },
      body: JSON.stringify({ currentPassword: GOOD, newPassword: NEW_GOOD }),
    });
    expect(change.status).toBe(200);
    expect((await signIn(web, email, NEW_GOOD)).response.status).toBe(200);
  });

  it('accepts a long passphrase without digits or symbols (no composition rules)', async () => {
    const { response } = await signUp(web, uniqueEmail(), 'all lower case words here');
    expect(response.status).toBe(200);
  });
});

describe('password reset', () => {
  async function requestReset(email: string, ip = uniqueIp()) {
    return postAuth(web.url, '/request-password-reset', { email }, { ip });
  }

  async function resetToken(email: string): Promise<string> {
    const before = mail.messages().length;
    expect((await requestReset(email)).status).toBe(200);
    const message = await mail.waitForMail(
      (m) => m.id > before && m.to.includes(email) && /Reset your/.test(m.subject),
    );
    expect(message.html).toContain('<a href=');
    return linkIn(message, '/reset-password').searchParams.get('token')!;
  }

  it('answers a known and an unknown email alike', async () => {
    const email = uniqueEmail();
    await signUp(web, email);
    const known = await requestReset(email);
    const unknown = await requestReset(uniqueEmail('nobody'));
    expect(known.status).toBe(200);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
  });

  it('mails a single-use link; the new password works, the old one and every session end', async () => {
    const email = uniqueEmail();
    const { jar: first } = await signUp(web, email);
    const { jar: second } = await signIn(web, email, GOOD);
    expect(await sessionOf(web, second)).not.toBeNull();

    const token = await resetToken(email);
    rememberSecret(NEW_GOOD);
    // A common password is refused and leaves the token usable.
    const common = await postAuth(
      web.url,
      '/reset-password',
      { token, newPassword: 'password1' },
      { ip: uniqueIp() },
    );
    expect([common.status, common.body.code]).toEqual([400, 'PASSWORD_TOO_COMMON']);

    const reset = await postAuth(
      web.url,
      '/reset-password',
      { token, newPassword: NEW_GOOD },
      { ip: uniqueIp() },
    );
    expect(reset.status).toBe(200);

    expect((await signIn(web, email, GOOD)).response.status).toBe(401);
    expect((await signIn(web, email, NEW_GOOD)).response.status).toBe(200);
    expect(await sessionOf(web, first)).toBeNull();
    expect(await sessionOf(web, second)).toBeNull();

    const again = await postAuth(
      web.url,
      '/reset-password',
      { token, newPassword: 'another fine phrase' },
      { ip: uniqueIp() },
    );
    expect([again.status, again.body.code]).toEqual([400, 'INVALID_TOKEN']);
  });

  it('lifts "under attack" on the account: its owner signs in with the new password at once', async () => {
    const email = uniqueEmail('attacked');
    await signUp(web, email);
    await underAttack(email);

    const token = await resetToken(email);
    const reset = await postAuth(
      web.url,
      '/reset-password',
      { token, newPassword: NEW_GOOD },
      { ip: uniqueIp() },
    );
    expect(reset.status).toBe(200);
    expect((await signIn(web, email, NEW_GOOD)).response.status).toBe(200);
  });

  it('stores the token hashed, and refuses it once it expired', async () => {
    const email = uniqueEmail();
    const { response } = await signUp(web, email);
    const userId = (response.body.user as { id: string }).id;
    const token = await resetToken(email);
    const { rows } = await pool.query(
      'SELECT identifier, "expiresAt" FROM verification WHERE value = $1',
      [userId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].identifier).not.toContain(token);
    // At most the configured 30 minutes ahead.
    const ahead = new Date(rows[0].expiresAt).getTime() - Date.now();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(30 * 60 * 1000);

    // Time moves on: the row says it expired a second ago (no real waiting).
    await pool.query(
      `UPDATE verification SET "expiresAt" = now() - interval '1 second' WHERE value = $1`,
      [userId],
    );
    const late = await postAuth(
      web.url,
      '/reset-password',
      { token, newPassword: NEW_GOOD },
      { ip: uniqueIp() },
    );
    expect([late.status, late.body.code]).toEqual([400, 'INVALID_TOKEN']);
    expect((await signIn(web, email, GOOD)).response.status).toBe(200);
  });

  it('limits reset requests like sign-in (4th rapid one: 429)', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestReset(uniqueEmail('x'), ip)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('works through the forms without JavaScript, with the same words for an unknown email', async () => {
    const email = uniqueEmail();
    await signUp(web, email);
    const unknown = await submitForm(
      web.url,
      '/forgot-password',
      { email: uniqueEmail('nobody') },
      { ip: uniqueIp() },
    );
    const known = await submitForm(web.url, '/forgot-password', { email }, { ip: uniqueIp() });
    expect(formNotice(known.html, 'forgot')).toMatch(/^If an account exists for that email/);
    expect(formNotice(unknown.html, 'forgot')).toBe(formNotice(known.html, 'forgot'));

    const message = await mailTo(mail, email, /Reset your/);
    const link = linkIn(message, '/reset-password');
    const page = `${link.pathname}${link.search}`;
    const common = await submitForm(
      web.url,
      page,
      { newPassword: 'letmein123' },
      { ip: uniqueIp() },
    );
    expect(fieldMessage(common.html, 'reset', 'newPassword')).toMatch(/common or breached/);

    const done = await submitForm(web.url, page, { newPassword: NEW_GOOD }, { ip: uniqueIp() });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/sign-in?notice=password_reset');

    const reused = await submitForm(
      web.url,
      page,
      { newPassword: 'yet another phrase' },
      { ip: uniqueIp() },
    );
    expect(alertText(reused.html)).toMatch(/not valid any more/);
    expect((await signIn(web, email, NEW_GOOD)).response.status).toBe(200);
  });
});

describe('email verification (AUTH_REQUIRE_EMAIL_VERIFICATION=true)', () => {
  it('mails a link on sign-up; sign-in waits for it; the link signs the user in', async () => {
    const email = uniqueEmail();
    const jar = new CookieJar();
    const post = await submitForm(
      verifying.url,
      '/sign-up',
      { name: 'Vera', email, password: GOOD },
      { ip: uniqueIp(), jar },
    );
    expect(post.status).toBe(303);
    expect(post.location).toBe('/verify-email');
    expect(jar.has('session_token')).toBe(false);
    const first = await mailTo(mail, email, /Confirm your email/);
    expect(first.html).toContain('Confirm my email address');

    const refused = await submitForm(
      verifying.url,
      '/sign-in',
      { email, password: GOOD },
      { ip: uniqueIp() },
    );
    expect(alertText(refused.html)).toMatch(/^Confirm your email address first/);

    const link = linkIn(first, '/api/auth/verify-email');
    const verified = new CookieJar();
    const response = await fetch(link, { redirect: 'manual' });
    verified.store(response);
    expect(response.status).toBe(302);
    expect(verified.has('session_token')).toBe(true);
    expect((await signIn(verifying, email, GOOD)).response.status).toBe(200);
  });

  it('resends the link with the same answer for anyone, and limits resends', async () => {
    const email = uniqueEmail();
    await signUp(verifying, email);
    const ip = uniqueIp();
    const texts: (string | undefined)[] = [];
    for (const address of [email, uniqueEmail('nobody'), email, email]) {
      const post = await submitForm(verifying.url, '/verify-email', { email: address }, { ip });
      texts.push(formNotice(post.html, 'resend') ?? alertText(post.html));
    }
    expect(texts.slice(0, 3)).toEqual(
      Array(3).fill(expect.stringMatching(/^If that address belongs/)),
    );
    expect(texts[3]).toMatch(/^Too many attempts/);
  });
});

describe('start-up', () => {
  it('production with mail on and no SMTP_URL stops with one line naming SMTP_URL', async () => {
    const { code, stderr } = await startWebExpectingExit({
      DATABASE_URL: databaseUrl(),
      BETTER_AUTH_SECRET: TEST_SECRET,
      BETTER_AUTH_URL: 'http://localhost:3000',
      NEXT_PUBLIC_API_URL: 'http://localhost:3001',
      MAIL_FROM: 'a <a@example.com>',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /^Invalid environment: SMTP_URL must be set in production: password reset and email verification send mail/,
    );
  });
});

describe('audit trail', () => {
  // Last but one: the tests above produced the events, in the app's own output.
  function auditLines(app: Running) {
    return app
      .output()
      .split('\n')
      .filter((line) => line.includes('"type":"audit"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('has one structured line per account event, with client and result', () => {
    const lines = auditLines(web);
    const seen = new Set(lines.map((l) => `${l.event}:${l.result}:${l.reason ?? ''}`));
    for (const expected of [
      'sign_up:success:',
      'sign_in:success:',
      'sign_in:failure:INVALID_EMAIL_OR_PASSWORD',
      'password_refused:failure:PASSWORD_TOO_COMMON',
      'password_reset_requested:success:',
      'password_reset_completed:success:',
      'password_reset_completed:failure:INVALID_TOKEN',
    ]) {
      expect([...seen]).toContain(expected);
    }
    for (const line of lines) {
      expect(line).toMatchObject({
        type: 'audit',
        time: expect.any(String),
        ip: expect.stringMatching(/^10\./), // the address the trusted proxy (the test) gave
        userAgent: expect.any(String),
      });
      expect(line.userId ?? line.emailHash ?? line.event).toBeTruthy();
    }
    const signUp = lines.find((l) => l.event === 'sign_up' && l.result === 'success')!;
    expect(signUp.userId).toEqual(expect.any(String));
    expect(signUp.emailHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('never holds an email address, a password, a token or a cookie', () => {
    for (const line of auditLines(web).concat(auditLines(verifying))) {
      const text = JSON.stringify(line);
      expect(text).not.toMatch(/@example\.com/);
      expect(Object.keys(line).sort()).toEqual(
        expect.arrayContaining(['event', 'result', 'ip', 'userAgent']),
      );
      for (const key of Object.keys(line))
        expect([
          'time',
          'level',
          'type',
          'event',
          'result',
          'reason',
          'userId',
          'emailHash',
          'ip',
          'userAgent',
        ]).toContain(key);
    }
  });
});

describe('logs', () => {
  it('no password, reset token, cookie or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
