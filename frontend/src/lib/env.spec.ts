import { InvalidEnvironmentError, parseServerEnv } from './env';

const valid = {
  BETTER_AUTH_SECRET: 'a'.repeat(32),
  BETTER_AUTH_URL: 'http://localhost:3000',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/app',
  NEXT_PUBLIC_API_URL: 'http://localhost:3001',
};

function errorOf(env: Record<string, string>): string {
  try {
    parseServerEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error('expected an invalid environment');
}

describe('server env schema', () => {
  it('applies the defaults', () => {
    expect(parseServerEnv(valid)).toMatchObject({
      baseURL: 'http://localhost:3000',
      apiUrl: 'http://localhost:3001',
      webPort: 3000,
      trustedOrigins: ['http://localhost:3000'],
      social: { google: undefined, github: undefined },
      redisUrl: undefined,
      jwtAlgorithm: 'EdDSA',
      jwtLifetimeSeconds: 900,
      jwtRotationDays: undefined,
      rateLimit: { max: 3, windowSeconds: 10 },
      signInBackoffSeconds: 10,
      trustProxyHops: 0,
    });
  });

  it('treats empty strings as unset', () => {
    const env = parseServerEnv({
      ...valid,
      WEB_PORT: '',
      REDIS_URL: ' ',
      GOOGLE_CLIENT_ID: '',
      AUTH_RATE_LIMIT_MAX: '',
      AUTH_JWT_ROTATION_DAYS: '',
    });
    expect(env.webPort).toBe(3000);
    expect(env.redisUrl).toBeUndefined();
    expect(env.rateLimit.max).toBe(3);
  });

  it('enables a social provider only when both its id and secret are set', () => {
    const env = parseServerEnv({
      ...valid,
      GOOGLE_CLIENT_ID: 'id',
      GOOGLE_CLIENT_SECRET: 'secret',
      GITHUB_CLIENT_ID: 'only-the-id',
    });
    expect(env.social.google).toEqual({ clientId: 'id', clientSecret: 'secret' });
    expect(env.social.github).toBeUndefined();
  });

  it('takes explicit values', () => {
    const env = parseServerEnv({
      ...valid,
      BETTER_AUTH_URL: 'https://app.example.com/',
      TRUSTED_ORIGINS: 'https://admin.example.com',
      WEB_PORT: '8080',
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_JWT_ROTATION_DAYS: '30',
      AUTH_JWT_ALGORITHM: 'RS256',
      AUTH_JWT_LIFETIME_SECONDS: '120',
      AUTH_RATE_LIMIT_MAX: '50',
      AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
      AUTH_SIGN_IN_BACKOFF_SECONDS: '900',
      TRUST_PROXY_HOPS: '2',
    });
    expect(env).toMatchObject({
      trustProxyHops: 2,
      baseURL: 'https://app.example.com',
      trustedOrigins: ['https://app.example.com', 'https://admin.example.com'],
      webPort: 8080,
      redisUrl: 'redis://127.0.0.1:6379',
      jwtRotationDays: 30,
      jwtAlgorithm: 'RS256',
      jwtLifetimeSeconds: 120,
      rateLimit: { max: 50, windowSeconds: 60 },
      signInBackoffSeconds: 900,
    });
  });

  it.each([
    [{ BETTER_AUTH_SECRET: '' }, 'BETTER_AUTH_SECRET must be set'],
    [{ BETTER_AUTH_SECRET: 'short' }, 'BETTER_AUTH_SECRET must be at least 32 characters'],
    [
      { BETTER_AUTH_URL: 'localhost:3000' },
      'BETTER_AUTH_URL must be an http(s) URL (got "localhost:3000")',
    ],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql://'],
    [{ NEXT_PUBLIC_API_URL: '' }, 'NEXT_PUBLIC_API_URL must be set'],
    [{ WEB_PORT: '99999' }, 'WEB_PORT must be a port number 1-65535 (got "99999")'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ AUTH_RATE_LIMIT_MAX: '0' }, 'AUTH_RATE_LIMIT_MAX must be a whole number'],
    [{ AUTH_RATE_LIMIT_WINDOW_SECONDS: 'ten' }, 'AUTH_RATE_LIMIT_WINDOW_SECONDS must be a whole'],
    [{ AUTH_SIGN_IN_BACKOFF_SECONDS: '0' }, 'AUTH_SIGN_IN_BACKOFF_SECONDS must be a whole number'],
    [
      { AUTH_SIGN_IN_BACKOFF_SECONDS: '901' },
      'AUTH_SIGN_IN_BACKOFF_SECONDS must be a whole number of seconds, 1 to 900',
    ],
    [{ AUTH_JWT_ROTATION_DAYS: '-1' }, 'AUTH_JWT_ROTATION_DAYS must be a number of days'],
    [{ TRUST_PROXY_HOPS: 'yes' }, 'TRUST_PROXY_HOPS must be a whole number, 0 or more'],
    [{ TRUST_PROXY_HOPS: '-1' }, 'TRUST_PROXY_HOPS must be a whole number, 0 or more'],
  ])('rejects %j with one line naming the variable and the rule', (override, expected) => {
    const message = errorOf({ ...valid, ...override });
    expect(message.startsWith('Invalid environment: ')).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('never echoes a secret or a connection string', () => {
    expect(errorOf({ ...valid, BETTER_AUTH_SECRET: 'hunter2' })).not.toContain('hunter2');
    expect(errorOf({ ...valid, DATABASE_URL: 'mysql://u:hunter2@x/db' })).not.toContain('hunter2');
  });

  describe('mail', () => {
    const prod = { ...valid, NODE_ENV: 'production' };

    it('production with mail on stops without SMTP_URL and MAIL_FROM, naming both', () => {
      const message = errorOf(prod);
      expect(message).toMatch(/SMTP_URL must be set in production/);
      expect(message).toMatch(/AUTH_EMAIL=false/);
      expect(message).toMatch(/MAIL_FROM must be set in production/);
    });

    it('production runs without mail when AUTH_EMAIL=false, and then requires no verification', () => {
      expect(parseServerEnv({ ...prod, AUTH_EMAIL: 'false' })).toMatchObject({
        mail: { enabled: false, smtpUrl: undefined },
        requireEmailVerification: false,
      });
    });

    it('production with SMTP: verification required by default; development: not', () => {
      const env = parseServerEnv({
        ...prod,
        SMTP_URL: 'smtps://u:p@mail.example.com:465',
        MAIL_FROM: 'a <a@example.com>',
      });
      expect(env.mail).toEqual({
        enabled: true,
        smtpUrl: 'smtps://u:p@mail.example.com:465',
        from: 'a <a@example.com>',
      });
      expect(env.requireEmailVerification).toBe(true);
      expect(parseServerEnv(valid).requireEmailVerification).toBe(false);
      expect(
        parseServerEnv({ ...valid, AUTH_REQUIRE_EMAIL_VERIFICATION: 'on' })
          .requireEmailVerification,
      ).toBe(true);
    });

    it('refuses a non-SMTP URL and a bad flag, never echoing the URL', () => {
      expect(errorOf({ ...valid, SMTP_URL: 'http://u:hunter2@x' })).toMatch(
        /^Invalid environment: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
      );
      expect(errorOf({ ...valid, SMTP_URL: 'http://u:hunter2@x' })).not.toContain('hunter2');
      expect(errorOf({ ...valid, AUTH_REQUIRE_EMAIL_VERIFICATION: 'maybe' })).toMatch(
        /AUTH_REQUIRE_EMAIL_VERIFICATION must be true or false/,
      );
    });
  });
});
