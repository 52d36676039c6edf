import { Pool } from 'pg';
import {
  alertText,
  clientInit,
  closeClients,
  CookieJar,
  fetchToken,
  postAuth,
  submitForm,
  uniqueEmail,
  uniqueIp,
  uniqueLoopback,
  type ClientOptions,
} from './support/http';
import { expectNoSecretsLogged } from './support/logs';
import { runMigrate, startBareNext, startWeb, type Running } from './support/processes';

// Attacks on the running, BUILT web app over HTTP, on a fresh PostgreSQL database:
// open redirects, the sign-in limit's idea of who a client is, security headers, caching.
// Three instances:
// - `direct`: the default, nothing in front of the app; the socket's address is the client.
//   Tests connect from their own loopback address (127.x.y.z) to be different clients.
// - `proxied`: TRUST_PROXY_HOPS=1, one reverse proxy in front, which the tests play.
// - `bare`: plain `next start`, without our server (server/web-server.mjs).
const databaseUrl = () => process.env.DATABASE_URL!;
let direct: Running;
let proxied: Running;
let bare: Running;
let pool: Pool;

beforeAll(async () => {
  const migrated = await runMigrate(databaseUrl());
  expect({ code: migrated.code, output: migrated.output }).toMatchObject({ code: 0 });
  pool = new Pool({ connectionString: databaseUrl() });
  [direct, proxied, bare] = await Promise.all([
    // A 15-min first back-off: a wrong guess after the 3rd failure meets it, however slow.
    startWeb({ databaseUrl: databaseUrl(), signInBackoffSeconds: 900 }),
    startWeb({ databaseUrl: databaseUrl(), trustProxyHops: 1, signInBackoffSeconds: 900 }),
    startBareNext({ databaseUrl: databaseUrl() }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop(), bare?.stop()]);
  await closeClients();
  await pool?.end();
});

// A fresh unknown email each time: failures count per account too, and these tests are
// about who the client (the address counted) is.
const wrong = () => ({ email: uniqueEmail('nobody'), password: 'wrong password' });
const TOO_MANY = /^Too many attempts, try again in (\d+ s|\d+ min( \d+ s)?)\.$/;

function get(url: string, client: ClientOptions, headers: Record<string, string> = {}) {
  const init = clientInit(client);
  return fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...headers } });
}

/** A new account on `app`, signed in: its cookie jar and the loopback address it uses. */
async function signedInUser(app: Running): Promise<{ jar: CookieJar; source: string }> {
  const jar = new CookieJar();
  const source = uniqueLoopback();
  const signUp = await postAuth(
    app.url,
    '/sign-up/email',
    { email: uniqueEmail('sec'), password: 'a long enough password', name: 'Sec' },
    { source, jar },
  );
  expect(signUp.status).toBe(200);
  return { jar, source };
}

describe('open redirect after sign-in', () => {
  // Each normalises (in the URL parser, or after decoding) to "//evil.example" or another
  // host; the first four are the reported bug.
  const FOREIGN = [
    '/.//evil.example',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example/x?y=1',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    '/%2F%2Fevil.example',
    '/.%2F%2Fevil.example',
  ];
  let user: { jar: CookieJar; source: string };
  beforeAll(async () => {
    user = await signedInUser(direct);
  });

  const origin = () => new URL(direct.url).origin;

  it.each(FOREIGN)(
    'a signed-in visitor of /sign-in and /sign-up?returnUrl=%s stays on the origin',
    async (returnUrl) => {
      // As typed into the address bar, and fully encoded.
      for (const query of [returnUrl, encodeURIComponent(returnUrl)]) {
        for (const page of ['/sign-in', '/sign-up']) {
          const response = await get(`${direct.url}${page}?returnUrl=${query}`, user);
          expect(response.status).toBe(307);
          const location = response.headers.get('location')!;
          expect(new URL(location, `${direct.url}${page}`).origin).toBe(origin());
          expect(location).toBe('/dashboard');
        }
      }
    },
  );

  it('a signed-in visitor with a local returnUrl goes there', async () => {
    const response = await get(`${direct.url}/sign-in?returnUrl=/a/../dashboard?x=1`, user);
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/dashboard?x=1');
  });

  describe('through the sign-in form (server action)', () => {
    const email = uniqueEmail('redirect');
    beforeAll(async () => {
      const signUp = await postAuth(
        direct.url,
        '/sign-up/email',
        { email, password: 'long enough', name: 'R' },
        { source: uniqueLoopback() },
      );
      expect(signUp.status).toBe(200);
    });

    it.each(FOREIGN.slice(0, 5))('returnUrl %s redirects on the origin', async (returnUrl) => {
      const post = await submitForm(
        direct.url,
        '/sign-in',
        { email, password: 'long enough', returnUrl },
        { source: uniqueLoopback(), jar: new CookieJar() },
      );
      expect(post.status).toBe(303);
      expect(new URL(post.location!, direct.url).origin).toBe(origin());
      expect(post.location).toBe('/dashboard');
    });
  });
});

describe('who a client is, with nothing in front of the app (the default)', () => {
  it('HTTP: a new X-Forwarded-For on every attempt is still limited', async () => {
    const source = uniqueLoopback();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // A single value, then a chain: neither is believed.
      const ip = i % 2 ? `${uniqueIp()}, ${uniqueIp()}` : uniqueIp();
      statuses.push((await postAuth(direct.url, '/sign-in/email', wrong(), { source, ip })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('server action: a new X-Forwarded-For on every attempt is still limited', async () => {
    const source = uniqueLoopback();
    const messages: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const post = await submitForm(direct.url, '/sign-in', wrong(), { source, ip: uniqueIp() });
      messages.push(alertText(post.html));
    }
    expect(messages.slice(0, 3)).toEqual(Array(3).fill('Wrong email or password.'));
    expect(messages[3]).toMatch(TOO_MANY);
  });

  it('sign-up is limited by the socket address as well', async () => {
    const source = uniqueLoopback();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const body = { email: uniqueEmail('flood'), password: 'long enough', name: 'F' };
      statuses.push(
        (await postAuth(direct.url, '/sign-up/email', body, { source, ip: uniqueIp() })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('another socket address is another client, with its own attempts', async () => {
    const [a, b] = [uniqueLoopback(), uniqueLoopback()];
    for (let i = 0; i < 3; i++)
      await postAuth(direct.url, '/sign-in/email', wrong(), { source: a });
    expect((await postAuth(direct.url, '/sign-in/email', wrong(), { source: b })).status).toBe(401);
    expect((await postAuth(direct.url, '/sign-in/email', wrong(), { source: a })).status).toBe(429);
  });
});

describe('who a client is, behind one trusted proxy (TRUST_PROXY_HOPS=1)', () => {
  it('HTTP: the right-most X-Forwarded-For entry (added by the proxy) is the client', async () => {
    const client = uniqueIp();
    const statuses: number[] = [];
    // The client's own claims (left) change every time; what the proxy saw does not.
    for (let i = 0; i < 4; i++) {
      const ip = `${uniqueIp()}, ${client}`;
      statuses.push((await postAuth(proxied.url, '/sign-in/email', wrong(), { ip })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);

    // A fixed claim on the left does not make different clients one.
    const claim = uniqueIp();
    const others: number[] = [];
    for (let i = 0; i < 4; i++) {
      const ip = `${claim}, ${uniqueIp()}`;
      others.push((await postAuth(proxied.url, '/sign-in/email', wrong(), { ip })).status);
    }
    expect(others).toEqual([401, 401, 401, 401]);
  });

  it('server action: the right-most entry too', async () => {
    const client = uniqueIp();
    const messages: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const ip = `${uniqueIp()}, ${client}`;
      messages.push(alertText((await submitForm(proxied.url, '/sign-in', wrong(), { ip })).html));
    }
    expect(messages.slice(0, 3)).toEqual(Array(3).fill('Wrong email or password.'));
    expect(messages[3]).toMatch(TOO_MANY);
  });

  it('no usable address: refused, and never counted in a bucket all such clients share', async () => {
    // The proxy wrote something that is not an address ("unknown" is what some write).
    for (const ip of ['unknown', `${uniqueIp()}, unknown`, 'not-an-ip']) {
      for (let i = 0; i < 4; i++) {
        const call = await postAuth(proxied.url, '/sign-in/email', wrong(), { ip });
        expect([call.status, call.body.code]).toEqual([403, 'CLIENT_ADDRESS_UNKNOWN']);
      }
      const post = await submitForm(proxied.url, '/sign-in', wrong(), { ip });
      expect(alertText(post.html)).toBe(
        'Signing in is not possible from this connection. Please try again later.',
      );
    }
    // Nothing was counted for "no address" (Better Auth's own fallback is one shared
    // "no-trusted-ip" bucket), and a client with an address is not held back.
    // (Failed sign-in counters: per account, a keyed hash; per address, only with one.)
    const shared = await pool.query(
      `SELECT key FROM "rateLimit" WHERE key NOT SIMILAR TO '[0-9a-f.:]+[|]%'
         AND key NOT SIMILAR TO 'failed-sign-in[|]address[|][0-9a-f.:]+'
         AND key NOT SIMILAR TO 'failed-sign-in[|]account[|][0-9a-f]{64}'`,
    );
    expect(shared.rows).toEqual([]);
    const call = await postAuth(proxied.url, '/sign-in/email', wrong(), { ip: uniqueIp() });
    expect(call.status).toBe(401);
  });
});

describe('without our server (plain `next start`)', () => {
  it('believes no X-Forwarded-For: sign-in and sign-up are refused, not limited per claim', async () => {
    const call = await postAuth(bare.url, '/sign-in/email', wrong(), { ip: uniqueIp() });
    expect([call.status, call.body.code]).toEqual([403, 'CLIENT_ADDRESS_UNKNOWN']);
    const signUp = await postAuth(
      bare.url,
      '/sign-up/email',
      { email: uniqueEmail(), password: 'long enough', name: 'B' },
      { ip: uniqueIp() },
    );
    expect(signUp.status).toBe(403);
    const post = await submitForm(bare.url, '/sign-in', wrong(), { ip: uniqueIp() });
    expect(alertText(post.html)).toMatch(/^Signing in is not possible from this connection/);
    expect(bare.output()).toMatch(/client address unknown: the app is not running behind/);
  });
});

/** The CSP's directives by name. */
function directives(response: Response): Record<string, string[]> {
  const csp = response.headers.get('content-security-policy') ?? '';
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

function nonceOf(response: Response): string | undefined {
  return directives(response)
    ['script-src']?.map((source) => source.match(/^'nonce-([A-Za-z0-9+/=]+)'$/)?.[1])
    .find(Boolean);
}

function expectSecurityHeaders(label: string, response: Response, https = false) {
  const csp = directives(response);
  const seen = {
    label,
    frameAncestors: csp['frame-ancestors'],
    objectSrc: csp['object-src'],
    strictDynamic: csp['script-src']?.includes("'strict-dynamic'"),
    nonce: (nonceOf(response) ?? '').length >= 16,
    unsafe: (response.headers.get('content-security-policy') ?? '').match(/unsafe-eval/g),
    scriptInline: csp['script-src']?.includes("'unsafe-inline'"),
    nosniff: response.headers.get('x-content-type-options'),
    referrer: response.headers.get('referrer-policy'),
    permissions: /camera=\(\)/.test(response.headers.get('permissions-policy') ?? ''),
    frameOptions: response.headers.get('x-frame-options'),
    hsts: response.headers.get('strict-transport-security'),
    upgrade: 'upgrade-insecure-requests' in csp,
  };
  expect(seen).toEqual({
    label,
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    strictDynamic: true,
    nonce: true,
    unsafe: null,
    scriptInline: false,
    nosniff: 'nosniff',
    referrer: 'strict-origin-when-cross-origin',
    permissions: true,
    frameOptions: 'DENY',
    hsts: https ? 'max-age=31536000; includeSubDomains' : null,
    upgrade: https,
  });
}

describe('security headers', () => {
  let user: { jar: CookieJar; source: string };
  beforeAll(async () => {
    user = await signedInUser(direct);
  });

  it('are on every page, signed in or out, redirects and 404 included', async () => {
    const anonymous = { source: uniqueLoopback() };
    const cases: [string, Response, number][] = [
      ['home', await get(`${direct.url}/`, anonymous), 200],
      ['home, signed in', await get(`${direct.url}/`, user), 200],
      ['sign-in', await get(`${direct.url}/sign-in`, anonymous), 200],
      ['sign-up', await get(`${direct.url}/sign-up`, anonymous), 200],
      ['sign-in, signed in', await get(`${direct.url}/sign-in`, user), 307],
      ['dashboard', await get(`${direct.url}/dashboard`, user), 200],
      ['dashboard, signed out', await get(`${direct.url}/dashboard`, anonymous), 307],
      ['no such page', await get(`${direct.url}/no-such-page`, anonymous), 404],
    ];
    for (const [label, response, status] of cases) {
      expect([label, response.status]).toEqual([label, status]);
      expectSecurityHeaders(label, response);
    }
  });

  it('are on server-action responses (no-JS form posts)', async () => {
    const source = uniqueLoopback();
    const failed = await submitForm(direct.url, '/sign-in', wrong(), { source });
    const response = new Response(null, { headers: failed.headers });
    expectSecurityHeaders('failed sign-in form', response);
  });

  it('are on every /api/auth response', async () => {
    const anonymous = { source: uniqueLoopback() };
    const cases: [string, Response][] = [
      ['ok', await get(`${direct.url}/api/auth/ok`, anonymous)],
      ['jwks', await get(`${direct.url}/api/auth/jwks`, anonymous)],
      ['get-session', await get(`${direct.url}/api/auth/get-session`, user)],
      ['token', await fetchToken(direct.url, user)],
      ['token, no session', await get(`${direct.url}/api/auth/token`, anonymous)],
    ];
    const signIn = await postAuth(direct.url, '/sign-in/email', wrong(), anonymous);
    cases.push(['sign-in 401', new Response(null, { headers: signIn.headers })]);
    const refused = await postAuth(proxied.url, '/sign-in/email', wrong(), { ip: 'unknown' });
    cases.push(['no client address 403', new Response(null, { headers: refused.headers })]);
    for (const [label, response] of cases) expectSecurityHeaders(label, response);
  });

  it('carry a fresh nonce per response, the one on every script of the page', async () => {
    const [first, second] = await Promise.all([
      get(`${direct.url}/sign-in`, {}),
      get(`${direct.url}/sign-in`, {}),
    ]);
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(first)}"`);
  });

  it('let the browser reach the API origin and nothing else (connect-src)', async () => {
    const csp = directives(await get(`${direct.url}/dashboard`, user));
    expect(csp['connect-src']).toEqual(["'self'", 'http://localhost:9']);
    expect(csp['form-action']).toEqual(["'self'"]);
  });

  it('HSTS when a trusted proxy says https, never on a client-sent X-Forwarded-Proto', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    expectSecurityHeaders(
      'behind a trusted proxy, https',
      await get(`${proxied.url}/sign-in`, { ip: uniqueIp() }, https),
      true,
    );
    expectSecurityHeaders(
      'behind a trusted proxy, http',
      await get(`${proxied.url}/sign-in`, { ip: uniqueIp() }, { 'x-forwarded-proto': 'http' }),
    );
    expectSecurityHeaders(
      'no proxy, spoofed https',
      await get(`${direct.url}/sign-in`, { source: uniqueLoopback() }, https),
    );
  });
});

describe('caching of tokens and sessions', () => {
  it('/api/auth/token and every other /api/auth response say no-store', async () => {
    const jar = new CookieJar();
    const source = uniqueLoopback();
    const body = { email: uniqueEmail('cache'), password: 'long enough', name: 'C' };
    const signUp = await postAuth(direct.url, '/sign-up/email', body, { source, jar });
    const signIn = await postAuth(direct.url, '/sign-in/email', body, { source, jar });
    const token = await fetchToken(direct.url, { source, jar });
    expect(token.status).toBe(200);
    const cases: [string, Headers][] = [
      ['sign-up', signUp.headers],
      ['sign-in', signIn.headers],
      ['token', token.headers],
      ['get-session', (await get(`${direct.url}/api/auth/get-session`, { source, jar })).headers],
      ['jwks', (await get(`${direct.url}/api/auth/jwks`, { source })).headers],
      ['ok', (await get(`${direct.url}/api/auth/ok`, { source })).headers],
    ];
    expect(signIn.headers.getSetCookie().length).toBeGreaterThan(0);
    for (const [label, headers] of cases) {
      expect([label, headers.get('cache-control')]).toEqual([label, 'no-store']);
    }
  });

  it('pages showing the user are not stored either', async () => {
    const user = await signedInUser(direct);
    for (const path of ['/', '/dashboard']) {
      const response = await get(`${direct.url}${path}`, user);
      expect([path, response.headers.get('cache-control')]).toEqual([
        path,
        expect.stringContaining('no-store'),
      ]);
    }
  });
});

describe('logs', () => {
  it('no password, session cookie, token or secret of these tests is in the app output', () => {
    expectNoSecretsLogged();
  });
});
