import { z } from 'zod';
import { betterAuthUrl, httpUrl, nodeEnv, originList, port, postgresUrl } from './env-fields';
import {
  exitOnInvalidEnvironment,
  InvalidEnvironmentError,
  parseEnvironment,
} from './environment-error';

const schema = z.object({
  NODE_ENV: nodeEnv(),
  DATABASE_URL: postgresUrl(),
  BETTER_AUTH_URL: betterAuthUrl(),
  AUTH_JWKS_URL: httpUrl(),
  API_PORT: port(3001),
  CORS_ORIGINS: originList(),
});
const valid = { DATABASE_URL: 'postgres://u:p@h/db', BETTER_AUTH_URL: 'http://localhost:3000' };

function errorOf(env: Record<string, string>): string {
  try {
    parseEnvironment(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error('expected an invalid environment');
}

describe('parseEnvironment and the shared fields', () => {
  it('applies defaults and treats blank values as unset', () => {
    expect(parseEnvironment(schema, { ...valid, API_PORT: ' ', CORS_ORIGINS: '' })).toEqual({
      NODE_ENV: 'development',
      DATABASE_URL: valid.DATABASE_URL,
      BETTER_AUTH_URL: valid.BETTER_AUTH_URL,
      AUTH_JWKS_URL: undefined,
      API_PORT: 3001,
      CORS_ORIGINS: undefined,
    });
  });

  it('reads an origin list as normalised origins', () => {
    const env = parseEnvironment(schema, {
      ...valid,
      CORS_ORIGINS: 'https://a.example.com/, http://b.example.com:8080/x ,',
    });
    expect(env.CORS_ORIGINS).toEqual(['https://a.example.com', 'http://b.example.com:8080']);
  });

  it.each([
    [{ API_PORT: 'abc' }, 'API_PORT must be a port number 1-65535 (got "abc")'],
    [{ API_PORT: '0' }, 'API_PORT must be a port number 1-65535 (got "0")'],
    [{ DATABASE_URL: '' }, 'DATABASE_URL must be set to a postgres:// connection string'],
    [{ BETTER_AUTH_URL: '' }, 'BETTER_AUTH_URL must be set to the origin of the web app'],
    [{ BETTER_AUTH_URL: 'localhost:3000' }, 'BETTER_AUTH_URL must be an http(s) URL (got'],
    [{ AUTH_JWKS_URL: 'ftp://x' }, 'AUTH_JWKS_URL must be an http(s) URL (got "ftp://x")'],
    [{ CORS_ORIGINS: 'https://ok.example.com,nope' }, 'CORS_ORIGINS must be a comma-separated'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be one of development, production, test'],
  ])('rejects %j with one line naming the variable and the rule', (override, expected) => {
    const message = errorOf({ ...valid, ...override });
    expect(message.startsWith('Invalid environment: ')).toBe(true);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('joins several problems on the one line and hides connection strings', () => {
    const message = errorOf({ DATABASE_URL: 'mysql://u:hunter2@x/db', API_PORT: 'x' });
    expect(message).toMatch(
      /^Invalid environment: .*DATABASE_URL .*; .*BETTER_AUTH_URL .*API_PORT/,
    );
    expect(message).not.toContain('hunter2');
  });

  it('exits with code 1 and the one line on an invalid environment, rethrows the rest', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exited');
    });
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => exitOnInvalidEnvironment(() => parseEnvironment(schema, {}))).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(1);
      expect(error).toHaveBeenCalledWith(
        expect.stringMatching(/^Invalid environment: DATABASE_URL/),
      );
      expect(() =>
        exitOnInvalidEnvironment(() => {
          throw new TypeError('a bug');
        }),
      ).toThrow(TypeError);
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});
