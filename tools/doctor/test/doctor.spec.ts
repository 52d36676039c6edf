import { symmetricEncrypt } from 'better-auth/crypto';
import { TestIssuer } from '@authbridge/nest-auth/testing';
import { EXIT, parseArgs } from '../src/doctor';
import { span } from '../src/token';
import {
  envFor,
  lineOf,
  migratedDatabase,
  runDoctor,
  startFakeWebApp,
  type FakeWebApp,
} from './support/harness';

describe('npm run doctor', () => {
  let web: FakeWebApp;
  beforeAll(async () => {
    web = await startFakeWebApp();
  });
  afterAll(() => web.close());

  describe('the command line', () => {
    it.each([
      [['--token'], '--token needs a value'],
      [['--tokn', 'x'], 'unknown argument "--tokn"'],
    ])('%j is a usage error (exit 2) that says what is wrong', async (args, words) => {
      const { lines, code } = await runDoctor(args, envFor(web));
      expect(code).toBe(EXIT.usage);
      expect(lines[0]).toContain(words);
      expect(lines.join('\n')).toContain('Usage: npm run doctor');
    });

    it('takes --token=<jwt> as well as --token <jwt>', () => {
      expect(parseArgs(['--token=a.b.c'])).toEqual({ token: 'a.b.c' });
      expect(parseArgs(['--token', 'a.b.c'])).toEqual({ token: 'a.b.c' });
    });
  });

  describe('--token', () => {
    it('accepts a good token in one sentence, with its user and time left (exit 0)', async () => {
      const at = Math.floor(Date.now() / 1000);
      const token = await web.issuer.sign({ sub: 'user-42' }, { issuedAt: at, expiresIn: 720 });
      const { lines, code } = await runDoctor(['--token', token], envFor(web), { now: at * 1000 });
      expect(code).toBe(EXIT.ok);
      expect(lines.at(-1)).toBe(
        '✓ Accepted: the API would let user "user-42" in; it expires in 12 min.',
      );
      expect(lines[0]).toContain(`"kid":"${web.issuer.kid}"`);
    });

    it('reads "Bearer <jwt>" pasted whole', async () => {
      const token = await web.issuer.sign();
      const { code } = await runDoctor(['--token', `Bearer ${token}`], envFor(web));
      expect(code).toBe(EXIT.ok);
    });

    it('accepts RS256 when both apps say AUTH_JWT_ALGORITHM=RS256', async () => {
      const rsaWeb = await startFakeWebApp('RS256');
      try {
        const env = envFor(rsaWeb, { AUTH_JWT_ALGORITHM: 'RS256' });
        expect((await runDoctor(['--token', await rsaWeb.issuer.sign()], env)).code).toBe(0);
        const checks = await runDoctor([], env);
        expect(lineOf(checks.lines, 'jwks')).toMatch(/^✓ .*\(RS256\)/);
        expect(checks.code).toBe(0);
      } finally {
        await rsaWeb.close();
      }
    });

    it('a key rotated in keeps the old tokens and accepts the new kid', async () => {
      const rotating = await startFakeWebApp();
      try {
        const old = await rotating.issuer.sign();
        await rotating.issuer.rotate({ kid: 'second' });
        const fresh = await rotating.issuer.sign();
        const env = envFor(rotating);
        expect((await runDoctor(['--token', old], env)).code).toBe(0);
        const verdict = await runDoctor(['--token', fresh], env);
        expect(verdict.code).toBe(0);
        expect(verdict.lines[0]).toContain('"kid":"second"');
      } finally {
        await rotating.close();
      }
    });

    it('refuses a token without sid while revocation is on, as the API does, and says why', async () => {
      const token = await web.issuer.sign({ sid: undefined });
      const { lines, code } = await runDoctor(['--token', token], envFor(web));
      expect(code).toBe(EXIT.failed);
      expect(lines.at(-1)).toContain(
        '✗ Rejected: the token has no sid claim; the API requires it while revocation is on',
      );
      const off = await runDoctor(['--token', token], envFor(web, { AUTH_REVOCATION: 'off' }));
      expect(off.code).toBe(EXIT.ok);
    });

    it('refuses a token living longer than AUTH_JWT_LIFETIME_SECONDS while revocation is on', async () => {
      const at = Math.floor(Date.now() / 1000);
      const token = await web.issuer.sign({}, { issuedAt: at, expiresIn: 600 });
      const env = envFor(web, { AUTH_JWT_LIFETIME_SECONDS: '300' });
      const { lines, code } = await runDoctor(['--token', token], env, { now: at * 1000 });
      expect(code).toBe(EXIT.failed);
      expect(lines.at(-1)).toContain(
        'the token lives longer than the API accepts while revocation is on (exp - iat = 10 min, AUTH_JWT_LIFETIME_SECONDS = 300 s)',
      );
      const off = { ...env, AUTH_REVOCATION: 'off' };
      expect((await runDoctor(['--token', token], off, { now: at * 1000 })).code).toBe(EXIT.ok);
    });

    it('an invalid environment is a failure naming the variable (the API would not start)', async () => {
      const { lines, code } = await runDoctor(['--token', 'a.b.c'], {
        ...envFor(web),
        API_PORT: 'x',
      });
      expect(code).toBe(EXIT.failed);
      expect(lines[0]).toContain('API_PORT must be a port number');
    });
  });

  describe('the checks', () => {
    it.each([
      ['change-me-change-me-change-me-change-me', 'looks like a placeholder'],
      ['abababababababababababababababababab', 'only 2 different characters'],
    ])('flags the secret %j: %s', async (secret, words) => {
      const { lines } = await runDoctor([], envFor(web, { BETTER_AUTH_SECRET: secret }));
      expect(lineOf(lines, 'secret')).toMatch(new RegExp(`^✗ .*${words}`));
    });

    it('signing keys encrypted with the current secret pass', async () => {
      const env = envFor(web);
      const privateKey = JSON.stringify(
        await symmetricEncrypt({ key: env.BETTER_AUTH_SECRET!, data: '{"kty":"OKP"}' }),
      );
      const { lines } = await runDoctor([], env, {
        database: migratedDatabase({ jwks: [{ id: 'k1', privateKey }] }),
      });
      expect(lineOf(lines, 'signing-keys')).toBe(
        '✓ signing-keys    all 1 JWT signing key(s) decrypt with BETTER_AUTH_SECRET',
      );
    });

    it('an API migration not applied is named', async () => {
      const { lines } = await runDoctor([], envFor(web), {
        database: migratedDatabase({ migrations: [] }),
      });
      expect(lineOf(lines, 'migrations')).toMatch(/^✗ .*API migrations CreateTasks\d+/);
    });

    it('a JWKS with no key yet says how one is made', async () => {
      const empty = await startFakeWebApp();
      (empty.issuer as unknown as { keys: unknown[] }).keys.length = 0;
      try {
        const { lines } = await runDoctor([], envFor(empty));
        expect(lineOf(lines, 'jwks')).toMatch(/^✗ .*publishes no key yet/);
      } finally {
        await empty.close();
      }
    });

    it('prints one line per check, then a summary, and never the secret or the database password', async () => {
      const env = envFor(web);
      const { lines, output } = await runDoctor([], env);
      expect(lines).toHaveLength(13);
      expect(output).not.toContain(env.BETTER_AUTH_SECRET);
      expect(output).not.toContain(':pw@');
    });

    it('refuses a token of another issuer', async () => {
      const stranger = await TestIssuer.create({ issuer: 'https://elsewhere.example' });
      const { code } = await runDoctor(['--token', await stranger.sign()], envFor(web));
      expect(code).toBe(EXIT.failed);
    });
  });

  it('words spans as a person reads them', () => {
    expect([span(42), span(180), span(7200), span(3 * 86400)]).toEqual([
      '42 s',
      '3 min',
      '2 h',
      '3 days',
    ]);
  });
});
