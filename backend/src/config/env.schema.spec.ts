import { InvalidEnvironmentError, loadConfig, loadDatabaseConfig } from '.';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/app',
  BETTER_AUTH_URL: 'http://localhost:3000',
};

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error('expected an invalid environment');
}

describe('environment schema', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(valid)).toEqual({
      nodeEnv: 'development',
      databaseUrl: valid.DATABASE_URL,
      host: '0.0.0.0',
      port: 3001,
      auth: {
        issuer: 'http://localhost:3000',
        audience: 'http://localhost:3000',
        jwksUrl: 'http://localhost:3000/api/auth/jwks',
        algorithms: ['EdDSA'],
      },
      corsOrigins: ['http://localhost:3000'],
      revocation: {
        enabled: true,
        transport: 'postgres',
        databaseUrl: valid.DATABASE_URL,
        onOutage: 'poll',
      },
      tokenLifetimeSeconds: 900,
      logLevels: ['error', 'warn', 'log'],
    });
  });

  it('reads the JWT lifetime both apps share, to remember revocations as long as a token lives', () => {
    expect(loadConfig({ ...valid, AUTH_JWT_LIFETIME_SECONDS: '3600' }).tokenLifetimeSeconds).toBe(
      3600,
    );
    expect(errorOf({ ...valid, AUTH_JWT_LIFETIME_SECONDS: '15m' })).toContain(
      'AUTH_JWT_LIFETIME_SECONDS must be a whole number of seconds, 1 to 86400',
    );
  });

  it('accepts the one algorithm AUTH_JWT_ALGORITHM names, the one the web app signs with', () => {
    expect(loadConfig({ ...valid, AUTH_JWT_ALGORITHM: 'RS256' }).auth.algorithms).toEqual([
      'RS256',
    ]);
    expect(errorOf({ ...valid, AUTH_JWT_ALGORITHM: 'HS256' })).toContain(
      'AUTH_JWT_ALGORITHM must be one of EdDSA, ES256, ES512, RS256, PS256',
    );
  });

  it('revocation: Redis when REDIS_URL is set, another database, refuse mode, or off', () => {
    expect(loadConfig({ ...valid, REDIS_URL: 'redis://127.0.0.1:6379' }).revocation).toEqual({
      enabled: true,
      transport: 'redis',
      redisUrl: 'redis://127.0.0.1:6379',
      onOutage: 'poll',
    });
    expect(
      loadConfig({
        ...valid,
        AUTH_REVOCATION_DATABASE_URL: 'postgres://a@db/auth',
        AUTH_REVOCATION_ON_OUTAGE: 'refuse',
      }).revocation,
    ).toMatchObject({
      transport: 'postgres',
      databaseUrl: 'postgres://a@db/auth',
      onOutage: 'refuse',
    });
    expect(loadConfig({ ...valid, AUTH_REVOCATION: 'off' }).revocation).toEqual({ enabled: false });
  });

  it.each([
    ['AUTH_REVOCATION', 'maybe', /AUTH_REVOCATION must be "on" or "off"/],
    ['AUTH_REVOCATION_ON_OUTAGE', 'ignore', /AUTH_REVOCATION_ON_OUTAGE must be "poll" or "refuse"/],
    [
      'AUTH_REVOCATION_DATABASE_URL',
      'mysql://x',
      /AUTH_REVOCATION_DATABASE_URL must be a postgres/,
    ],
    ['REDIS_URL', 'http://x', /REDIS_URL must be a redis/],
  ])('refuses %s=%s, naming it', (name, value, message) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(message);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ ...valid, API_PORT: '', AUTH_JWKS_URL: ' ', CORS_ORIGINS: '' });
    expect(config.port).toBe(3001);
    expect(config.auth.jwksUrl).toBe('http://localhost:3000/api/auth/jwks');
    expect(config.corsOrigins).toEqual(['http://localhost:3000']);
  });

  it('takes explicit values', () => {
    const config = loadConfig({
      ...valid,
      BETTER_AUTH_URL: 'https://app.example.com/',
      API_PORT: '8080',
      API_HOST: '127.0.0.1',
      AUTH_JWKS_URL: 'https://auth.example.com/keys',
      CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '127.0.0.1',
      port: 8080,
      auth: {
        issuer: 'https://app.example.com',
        audience: 'https://app.example.com',
        jwksUrl: 'https://auth.example.com/keys',
      },
      corsOrigins: ['https://app.example.com', 'https://admin.example.com'],
    });
  });

  it.each([
    [
      { API_PORT: 'abc' },
      'Invalid environment: API_PORT must be a port number 1-65535 (got "abc")',
    ],
    [{ API_PORT: '70000' }, 'API_PORT must be a port number 1-65535 (got "70000")'],
    [{ DATABASE_URL: '' }, 'DATABASE_URL must be set to a postgres:// connection string'],
    [
      { DATABASE_URL: 'mysql://secret@x/db' },
      'DATABASE_URL must be a postgres:// or postgresql://',
    ],
    [{ BETTER_AUTH_URL: '' }, 'BETTER_AUTH_URL must be set to the origin of the web app'],
    [{ BETTER_AUTH_URL: 'localhost:3000' }, 'BETTER_AUTH_URL must be an http(s) URL'],
    [{ AUTH_JWKS_URL: 'ftp://x' }, 'AUTH_JWKS_URL must be an http(s) URL (got "ftp://x")'],
    [{ CORS_ORIGINS: 'https://ok.example.com,nope' }, 'CORS_ORIGINS must be a comma-separated'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be one of development, production, test'],
  ])('rejects %j with one line naming the variable', (override, expected) => {
    const message = errorOf({ ...valid, ...override });
    expect(message).toContain(expected);
    expect(message.startsWith('Invalid environment: ')).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('never echoes the database URL, which holds a password', () => {
    expect(errorOf({ ...valid, DATABASE_URL: 'mysql://user:hunter2@x/db' })).not.toContain(
      'hunter2',
    );
  });

  it('lets database tooling run without the auth settings', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: valid.DATABASE_URL })).toEqual({
      nodeEnv: 'development',
      databaseUrl: valid.DATABASE_URL,
    });
    expect(() => loadDatabaseConfig({})).toThrow(/^Invalid environment: DATABASE_URL/);
  });

  it('LOG_LEVEL: the levels up to it; warn by default in production; refuses a bad one', () => {
    expect(loadConfig({ ...valid, LOG_LEVEL: 'debug' }).logLevels).toEqual([
      'error',
      'warn',
      'log',
      'debug',
    ]);
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).logLevels).toEqual(['error', 'warn']);
    expect(errorOf({ ...valid, LOG_LEVEL: 'loud' })).toMatch(
      /LOG_LEVEL must be one of error, warn, log, debug, verbose/,
    );
  });
});
