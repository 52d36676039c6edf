import { startTestApi, type TestApi, type TestApiOptions } from './api';
import { HttpClient, type RawResponse } from './http-client';
import { ALL_LOG_LEVELS, captureLogsForHygiene, type LogHygiene } from './log-hygiene';

export interface AttackTarget {
  api: TestApi;
  /** Keep-alive client; every Authorization/Cookie it sends is a secret for the hygiene check. */
  client: HttpClient;
  hygiene: LogHygiene;
}

/**
 * The common frame of the attack suites (test/security): the real app listening on a port,
 * logging at every level, its output captured for the log-hygiene check, and a keep-alive
 * client. Call at the top level of a `describe`; the returned object is filled in `beforeAll`.
 *
 * @example
 * const target = attackTarget();
 * it('...', async () => expect((await target.client.get('/api/me')).status).toBe(401));
 * itWritesNoSecretToTheLogs(target);
 */
export function attackTarget(
  env: Record<string, string> = {},
  options: TestApiOptions = {},
): AttackTarget {
  const hygiene = captureLogsForHygiene();
  const target = { hygiene } as AttackTarget;
  beforeAll(async () => {
    target.api = await startTestApi(env, { logger: ALL_LOG_LEVELS, ...options });
    await hygiene.issuerKeys(target.api.issuer);
    hygiene.secret(target.api.config.databaseUrl);
    target.client = new HttpClient(target.api.baseUrl, (value) => hygiene.secret(value), 32);
  });
  afterAll(async () => {
    target.client?.close();
    await target.api?.close();
  });
  return target;
}

/** The suite's closing test: nothing secret reached the logs while it ran. */
export function itWritesNoSecretToTheLogs(target: { hygiene: LogHygiene }): void {
  it('writes no token, cookie, key or password to the logs', () => {
    // The capture works: start-up alone logs the mapped routes.
    expect(target.hygiene.lineCount).toBeGreaterThan(0);
    target.hygiene.assertClean();
  });
}

/**
 * RFC 6750 section 3: `Bearer` with optional auth-params whose quoted values use only
 * %x20-21 / %x23-5B / %x5D-7E (printable ASCII without `"` and `\`).
 */
const RFC6750_CHALLENGE =
  /^Bearer(?: (?:realm|scope|error|error_description|error_uri)="[\x20\x21\x23-\x5b\x5d-\x7e]*"(?:, (?:realm|scope|error|error_description|error_uri)="[\x20\x21\x23-\x5b\x5d-\x7e]*")*)?$/;

/** A 401 as RFC 6750 and the kit define it: a valid challenge and a machine-readable code. */
export function expectUnauthorized(res: RawResponse, code?: string | RegExp): void {
  const context = `${res.status} ${res.text.slice(0, 300)}`;
  expect({ status: res.status, context }).toEqual({ status: 401, context });
  const challenge = res.headers['www-authenticate'];
  expect(challenge).toMatch(RFC6750_CHALLENGE);
  expect(res.body).toEqual({
    statusCode: 401,
    error: 'Unauthorized',
    code:
      code === undefined
        ? expect.stringMatching(/^[a-z_]+$/)
        : typeof code === 'string'
          ? code
          : expect.stringMatching(code),
    message: expect.any(String),
  });
  if (challenge !== 'Bearer') expect(challenge).toMatch(/^Bearer error="invalid_token"/);
}
