import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Pool } from 'pg';
import {
  alertText,
  clientInit,
  CookieJar,
  fetchToken,
  fieldError,
  postAuth,
  submitForm,
  uniqueEmail,
  uniqueIp,
} from './support/http';
import { AUTH_MESSAGES } from '../src/lib/auth/messages';
import { expectNoSecretsLogged } from './support/logs';
import { runMigrate, startWeb, startWebExpectingExit, type Running } from './support/processes';

// Against the BUILT app (`npm start -w frontend`: our server around Next) and a fresh
// PostgreSQL database. The app runs with the default request limit (3 sign-up attempts per
// 10 s per client; email sign-in is limited by its failures, with a 15-min first back-off
// here) behind one trusted proxy, which the tests play: each test sends its own
// X-Forwarded-For and its own emails, so counters never collide. (security.test.ts covers the no-proxy
// default, where the socket decides.)
const databaseUrl = () => process.env.DATABASE_URL!;
let web: Running;

beforeAll(async () => {
  // Two migrations at once: the advisory lock makes them take turns.
  const runs = await Promise.all([runMigrate(databaseUrl()), runMigrate(databaseUrl())]);
  for (const run of runs) expect({ code: run.code, output: run.output }).toMatchObject({ code: 0 });
  web = await startWeb({
    databaseUrl: databaseUrl(),
    trustProxyHops: 1,
    signInBackoffSeconds: 900,
  });
}, 120_000);

afterAll(async () => {
  await web?.stop();
});

describe('migrate', () => {
  it('is idempotent and leaves exactly one signing key after concurrent runs', async () => {
    const again = await runMigrate(databaseUrl());
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/schema up to date/);
    const pool = new Pool({ connectionString: databaseUrl() });
    try {
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM jwks');
      expect(rows[0].n).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('email and password over HTTP', () => {
  it('signs up, rejects a second account on the same email, and signs in', async () => {
    const email = uniqueEmail();
    const jar = new CookieJar();
    const ip = uniqueIp();
    const signUp = await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'correct horse', name: 'Ada' },
      { ip, jar },
    );
    expect(signUp.status).toBe(200);
    expect(jar.has('session_token')).toBe(true);

    const again = await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'correct horse', name: 'Ada' },
      { ip },
    );
    expect(again.status).toBe(422);
    expect(String(again.body.code)).toMatch(/^USER_ALREADY_EXISTS/);

    const signIn = await postAuth(
      web.url,
      '/sign-in/email',
      { email, password: 'correct horse' },
      { ip: uniqueIp(), jar: new CookieJar() },
    );
    expect(signIn.status).toBe(200);
  });

  it('enforces the password length rules (8 to 128)', async () => {
    const ip = uniqueIp();
    const short = await postAuth(
      web.url,
      '/sign-up/email',
      { email: uniqueEmail(), password: '1234567', name: 'A' },
      { ip },
    );
    expect([short.status, short.body.code]).toEqual([400, 'PASSWORD_TOO_SHORT']);
    const long = await postAuth(
      web.url,
      '/sign-up/email',
      { email: uniqueEmail(), password: 'x'.repeat(129), name: 'A' },
      { ip },
    );
    expect([long.status, long.body.code]).toEqual([400, 'PASSWORD_TOO_LONG']);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const email = uniqueEmail();
    await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'correct horse', name: 'B' },
      {
        ip: uniqueIp(),
      },
    );
    const wrongPassword = await postAuth(
      web.url,
      '/sign-in/email',
      { email, password: 'not the one' },
      { ip: uniqueIp() },
    );
    const unknownEmail = await postAuth(
      web.url,
      '/sign-in/email',
      { email: uniqueEmail('nobody'), password: 'not the one' },
      { ip: uniqueIp() },
    );
    expect(wrongPassword.status).toBe(401);
    expect([unknownEmail.status, unknownEmail.body]).toEqual([
      wrongPassword.status,
      wrongPassword.body,
    ]);
  });
});

describe('the JWT for the API', () => {
  it('is verified through /api/auth/jwks with iss, aud, sub and only the narrowed claims', async () => {
    const email = uniqueEmail();
    const jar = new CookieJar();
    const signUp = await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'correct horse', name: 'Grace' },
      { ip: uniqueIp(), jar },
    );
    const userId = (signUp.body.user as { id: string }).id;

    const response = await fetchToken(web.url, { jar });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };

    const jwks = createRemoteJWKSet(new URL(`${web.url}/api/auth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: web.url,
      audience: web.url,
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe(userId);
    expect(payload).toMatchObject({ email, name: 'Grace' });
    expect(Object.keys(payload).sort()).toEqual([
      'aud',
      'email',
      'exp',
      'iat',
      'iss',
      'name',
      'sid',
      'sub',
    ]);
    expect(payload.sid).toEqual(expect.any(String)); // the session id, for revocation
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
    expect(decodeProtectedHeader(token).kid).toBeDefined();
  });

  it('is not given without a session', async () => {
    const response = await fetch(`${web.url}/api/auth/token`);
    expect(response.status).toBe(401);
  });
});

describe('sign-in limited by its failures', () => {
  // The app's first back-off is 15 min (AUTH_SIGN_IN_BACKOFF_SECONDS=900, see beforeAll):
  // a back-off started by one request is still running at the next, however slow.
  const wrongFor = (email: string) => ({ email, password: 'wrong password' });
  const TOO_MANY = /^Too many attempts, try again in (\d+ s|\d+ min( \d+ s)?)\.$/;

  async function signedUp(): Promise<{ email: string; password: string }> {
    const user = { email: uniqueEmail('limit'), password: 'correct horse' };
    const up = await postAuth(
      web.url,
      '/sign-up/email',
      { ...user, name: 'L' },
      { ip: uniqueIp() },
    );
    expect(up.status).toBe(200);
    return user;
  }

  function expectRefusal(call: {
    status: number;
    headers: Headers;
    body: Record<string, unknown>;
  }) {
    expect([call.status, call.body.code]).toEqual([429, 'TOO_MANY_FAILED_SIGN_INS']);
    const retryAfter = Number(call.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(call.body.retryAfter).toBe(retryAfter);
    expect(call.headers.get('x-retry-after')).toBe(String(retryAfter));
    expect(call.body.message).toBe(AUTH_MESSAGES.tooManyAttempts(retryAfter));
    return retryAfter;
  }

  it('HTTP: ten correct sign-ins in a row from one address all succeed (only failures count)', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await postAuth(web.url, '/sign-in/email', user, { ip })).status);
    }
    expect(statuses).toEqual(Array(10).fill(200));
  });

  it('server action: five correct sign-ins in a row all succeed', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await submitForm(web.url, '/sign-in', user, { ip })).status);
    }
    expect(statuses).toEqual(Array(5).fill(303));
  });

  it('HTTP: after 3 wrong passwords a wrong guess waits (429, Retry-After), the right one gets in', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(
        (await postAuth(web.url, '/sign-in/email', wrongFor(user.email), { ip })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401]);
    // The 3rd failure started a back-off: the next wrong guess is checked and answered "wait".
    const first = expectRefusal(
      await postAuth(web.url, '/sign-in/email', wrongFor(user.email), { ip }),
    );
    const second = expectRefusal(
      await postAuth(web.url, '/sign-in/email', wrongFor(user.email), { ip }),
    );
    expect(second).toBeGreaterThanOrEqual(first); // growing (here already at the 15-min cap)
    // The real user, same address, during the back-off: the right password goes through...
    expect((await postAuth(web.url, '/sign-in/email', user, { ip })).status).toBe(200);
    // ...and clears the account's counter: a mistype from a fresh address is a plain 401.
    const again = await postAuth(web.url, '/sign-in/email', wrongFor(user.email), {
      ip: uniqueIp(),
    });
    expect(again.status).toBe(401);
  });

  it('server action: the 4th wrong password is told to wait; the right one gets in', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    const messages: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const post = await submitForm(web.url, '/sign-in', wrongFor(user.email), { ip });
      expect(post.status).toBe(200);
      messages.push(alertText(post.html));
    }
    expect(messages.slice(0, 3)).toEqual(Array(3).fill('Wrong email or password.'));
    expect(messages[3]).toMatch(TOO_MANY);
    expect((await submitForm(web.url, '/sign-in', user, { ip })).status).toBe(303);
  });

  it('an account under attack (10 failures from anywhere) refuses even the right password, on both paths', async () => {
    const user = await signedUp();
    // Ten failures, each from another address: no address is held back, the account is.
    for (let i = 0; i < 10; i++) {
      await postAuth(web.url, '/sign-in/email', wrongFor(user.email), { ip: uniqueIp() });
    }
    expectRefusal(await postAuth(web.url, '/sign-in/email', user, { ip: uniqueIp() }));
    const form = await submitForm(web.url, '/sign-in', user, { ip: uniqueIp() });
    expect(alertText(form.html)).toMatch(TOO_MANY);
    // Another account from a fresh address is not affected.
    const other = await signedUp();
    expect((await postAuth(web.url, '/sign-in/email', other, { ip: uniqueIp() })).status).toBe(200);
  });

  it('credential stuffing: 30 failures from one address on as many emails refuse that address', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 29; i++) {
      const call = await postAuth(web.url, '/sign-in/email', wrongFor(uniqueEmail('stuff')), {
        ip,
      });
      statuses.push(call.status);
    }
    // Plain answers until the address's back-off starts, then "wait" for each wrong guess.
    expect(statuses).toEqual([401, 401, 401, ...Array(26).fill(429)]);
    // 29 failures: in back-off but still checked, so a real user behind it gets in.
    expect((await postAuth(web.url, '/sign-in/email', user, { ip })).status).toBe(200);
    await postAuth(web.url, '/sign-in/email', wrongFor(uniqueEmail('stuff')), { ip });
    // 30: under attack, nothing from there is checked, a right password neither (both paths).
    expectRefusal(await postAuth(web.url, '/sign-in/email', user, { ip }));
    expect(alertText((await submitForm(web.url, '/sign-in', user, { ip })).html)).toMatch(TOO_MANY);
    // The same user from another address is let in.
    expect((await postAuth(web.url, '/sign-in/email', user, { ip: uniqueIp() })).status).toBe(200);
  });

  it('counts both paths together: HTTP failures put the server action in back-off, and back', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) {
      await postAuth(web.url, '/sign-in/email', wrongFor(uniqueEmail('x')), { ip });
    }
    const post = await submitForm(web.url, '/sign-in', wrongFor(uniqueEmail('x')), { ip });
    expect(alertText(post.html)).toMatch(TOO_MANY);

    const other = uniqueIp();
    for (let i = 0; i < 3; i++) {
      await submitForm(web.url, '/sign-in', wrongFor(uniqueEmail('y')), { ip: other });
    }
    expectRefusal(
      await postAuth(web.url, '/sign-in/email', wrongFor(uniqueEmail('y')), { ip: other }),
    );
  });

  it('writes a refused line to the audit trail: reason, hashed email, address, never the email', async () => {
    const user = await signedUp();
    const ip = uniqueIp();
    for (let i = 0; i < 4; i++) {
      await postAuth(web.url, '/sign-in/email', wrongFor(user.email), { ip });
    }
    const refused = web
      .output()
      .split('\n')
      .filter((line) => line.includes('"type":"audit"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.ip === ip && line.result === 'refused');
    expect(refused).toEqual([
      expect.objectContaining({
        event: 'sign_in',
        result: 'refused',
        reason: 'backoff',
        level: 'warn',
        ip,
        emailHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    ]);
    expect(JSON.stringify(refused)).not.toContain(user.email);
  });
});

describe('the forms without JavaScript (server actions)', () => {
  it('signs up and lands on a local returnUrl', async () => {
    const jar = new CookieJar();
    const post = await submitForm(
      web.url,
      '/sign-up',
      { name: 'Lin', email: uniqueEmail(), password: 'long enough', returnUrl: '/dashboard?x=1' },
      { ip: uniqueIp(), jar },
    );
    expect(post.status).toBe(303);
    expect(post.location).toBe('/dashboard?x=1');
    expect(jar.has('session_token')).toBe(true);
    const dashboard = await fetch(`${web.url}/dashboard`, {
      headers: { cookie: jar.header() },
      redirect: 'manual',
    });
    expect(dashboard.status).toBe(200);
  });

  it.each(['//evil.com', '/\\evil.com', 'https://evil.com/x', '/\t/evil.com'])(
    'never follows the foreign returnUrl %j',
    async (returnUrl) => {
      const email = uniqueEmail();
      await postAuth(
        web.url,
        '/sign-up/email',
        { email, password: 'long enough', name: 'E' },
        {
          ip: uniqueIp(),
        },
      );
      const post = await submitForm(
        web.url,
        '/sign-in',
        { email, password: 'long enough', returnUrl },
        { ip: uniqueIp(), jar: new CookieJar() },
      );
      expect(post.status).toBe(303);
      expect(post.location).toBe('/dashboard');
    },
  );

  it('shows a clear message for each rule and for an email already used', async () => {
    const ip = uniqueIp();
    const email = uniqueEmail();
    const short = await submitForm(
      web.url,
      '/sign-up',
      { name: 'A', email, password: 'short' },
      { ip },
    );
    expect(fieldError(short.html, 'password')).toBe('Password must be at least 8 characters.');
    const long = await submitForm(
      web.url,
      '/sign-up',
      { name: 'A', email, password: 'y'.repeat(129) },
      { ip },
    );
    expect(fieldError(long.html, 'password')).toBe('Password must be at most 128 characters.');
    await postAuth(
      web.url,
      '/sign-up/email',
      { email, password: 'long enough', name: 'A' },
      {
        ip: uniqueIp(),
      },
    );
    const taken = await submitForm(
      web.url,
      '/sign-up',
      { name: 'A', email, password: 'long enough' },
      { ip: uniqueIp() },
    );
    expect(fieldError(taken.html, 'email')).toBe('An account with this email already exists.');
    // "Sign in instead" is a real link, to sign-in with the same returnUrl.
    expect(taken.html).toMatch(
      /id="email-error"[^>]*>[\s\S]*?<a href="\/sign-in\?returnUrl=\/dashboard">Sign in instead<\/a>/,
    );
    // No JavaScript: the page says why the password field is empty again.
    expect(taken.html).toContain('type it again');
  });

  it('signs out', async () => {
    const jar = new CookieJar();
    await postAuth(
      web.url,
      '/sign-up/email',
      { email: uniqueEmail(), password: 'long enough', name: 'S' },
      { ip: uniqueIp(), jar },
    );
    const before = await fetch(`${web.url}/api/auth/get-session`, {
      headers: { cookie: jar.header() },
    });
    expect(await before.json()).not.toBeNull();
    const home = await fetch(`${web.url}/`, { headers: { cookie: jar.header() } });
    const html = await home.text();
    const form = html.match(/<form[^>]*>[\s\S]*?Sign out[\s\S]*?<\/form>/)?.[0] ?? '';
    const data = new FormData();
    for (const input of form.match(/<input[^>]*>/g) ?? []) {
      const name = input.match(/name="([^"]*)"/)?.[1];
      if (name)
        data.append(
          name.replace(/&quot;/g, '"'),
          (input.match(/value="([^"]*)"/)?.[1] ?? '').replace(/&quot;/g, '"'),
        );
    }
    const out = await fetch(`${web.url}/`, {
      method: 'POST',
      body: data,
      redirect: 'manual',
      headers: { cookie: jar.header(), origin: web.url },
    });
    expect(out.status).toBe(303);
    jar.store(out);
    const after = await fetch(`${web.url}/api/auth/get-session`, {
      headers: { cookie: jar.header() },
    });
    expect(await after.json()).toBeNull();
  });
});

describe('the dashboard guard', () => {
  it('proxy.ts sends a visitor without a session cookie to sign in, coming back after', async () => {
    const response = await fetch(`${web.url}/dashboard`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toMatch(
      /\/sign-in\?returnUrl=\/dashboard&reason=sign_in_required$/,
    );
    // The sign-in page says why the visitor is there.
    const signIn = await fetch(`${web.url}${response.headers.get('location')}`);
    expect(await signIn.text()).toContain('Sign in to continue');
  });

  it('the page checks the real session: a forged cookie does not get in', async () => {
    const response = await fetch(`${web.url}/dashboard`, {
      redirect: 'manual',
      headers: { cookie: 'better-auth.session_token=forged.value' },
    });
    expect(response.status).toBe(307);
    // A cookie without a live session: it ended (expired, revoked), and the page says so.
    expect(response.headers.get('location')).toMatch(
      /\/sign-in\?returnUrl=\/dashboard&reason=session_ended$/,
    );
    const signIn = await fetch(`${web.url}${response.headers.get('location')}`);
    expect(await signIn.text()).toContain('Your session ended, sign in again.');
  });
});

describe('social sign-in', () => {
  it('shows no provider button unless the provider is configured', async () => {
    const html = await (await fetch(`${web.url}/sign-in`)).text();
    expect(html).not.toMatch(/Continue with/);
  });

  it('shows a fixed message for a failed provider round trip, never text from the URL', async () => {
    const html = await (
      await fetch(`${web.url}/sign-in?error=${encodeURIComponent('Call 555-0100 now')}`)
    ).text();
    expect(alertText(html)).toBe('Signing in with that provider did not work. Please try again.');
    // Next echoes the URL inside its router payload (scripts); no visible markup has it.
    expect(html.replace(/<script[\s\S]*?<\/script>/g, '')).not.toContain('555-0100');
  });

  it('shows a button only for the provider whose id and secret are both set', async () => {
    const social = await startWeb({
      databaseUrl: databaseUrl(),
      trustProxyHops: 1,
      env: {
        GITHUB_CLIENT_ID: 'test-github-id',
        GITHUB_CLIENT_SECRET: 'test-github-secret',
        GOOGLE_CLIENT_ID: 'only-an-id',
      },
    });
    try {
      for (const path of ['/sign-in', '/sign-up']) {
        const html = await (await fetch(`${social.url}${path}`)).text();
        expect(html).toContain('Continue with GitHub');
        expect(html).not.toContain('Continue with Google');
      }

      // The button works without JavaScript and is limited like any sign-in attempt.
      const ip = uniqueIp();
      const jar = new CookieJar();
      const github = { ip, jar, formMarker: 'value="github"' };
      const locations: (string | null)[] = [];
      for (let i = 0; i < 4; i++) {
        locations.push((await submitForm(social.url, '/sign-in', {}, github)).location);
      }
      for (const location of locations.slice(0, 3)) {
        expect(location).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);
      }
      expect(locations[3]).toMatch(
        /^\/sign-in\?returnUrl=\/dashboard&error=rate_limited&retry=\d+$/,
      );
      const page = await (await fetch(`${social.url}${locations[3]}`)).text();
      expect(alertText(page)).toMatch(
        /^Too many attempts, try again in (\d+ s|\d+ min( \d+ s)?)\.$/,
      );

      // The provider sends the visitor back with an error: to sign-in, through
      // authPageUrl, with the returnUrl of the attempt kept.
      const state = new URL(locations[2]!).searchParams.get('state');
      const callback = await fetch(
        `${social.url}/api/auth/callback/github?state=${state}&error=access_denied`,
        { ...clientInit({ ip, jar }), redirect: 'manual' },
      );
      expect(callback.headers.get('location')).toBe(
        '/sign-in?returnUrl=/dashboard&error=access_denied',
      );
    } finally {
      await social.stop();
    }
  });
});

describe('start-up', () => {
  it('`next start` alone prepares an empty database (schema and one signing key)', async () => {
    const name = `fresh_${Date.now().toString(36)}`;
    const admin = new Pool({ connectionString: databaseUrl() });
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(databaseUrl());
    url.pathname = `/${name}`;
    const fresh = await startWeb({ databaseUrl: url.toString(), trustProxyHops: 1 });
    try {
      const signUp = await postAuth(
        fresh.url,
        '/sign-up/email',
        { email: uniqueEmail(), password: 'long enough', name: 'F' },
        { ip: uniqueIp() },
      );
      expect(signUp.status).toBe(200);
      const jwks = (await (await fetch(`${fresh.url}/api/auth/jwks`)).json()) as {
        keys: unknown[];
      };
      expect(jwks.keys).toHaveLength(1);
    } finally {
      await fresh.stop();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('refuses to start on a bad variable, with one line naming it and the rule', async () => {
    const { code, stderr } = await startWebExpectingExit({
      DATABASE_URL: databaseUrl(),
      BETTER_AUTH_SECRET: 'too-short',
      BETTER_AUTH_URL: 'http://localhost:3000',
      NEXT_PUBLIC_API_URL: 'http://localhost:3001',
      AUTH_EMAIL: 'false',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Invalid environment: BETTER_AUTH_SECRET must be at least 32 characters',
    );
  });
});

describe('logs', () => {
  // Last in this file: every app it started has done all its work by now.
  it('no password, session cookie, token or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
