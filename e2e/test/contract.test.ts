import openapi from '../../backend/openapi.json';
import { runDoctorCli, stackEnv } from './support/doctor';
import {
  callApi,
  createDatabase,
  dropDatabase,
  signUp,
  sql,
  startStack,
  tokenOf,
  type Stack,
} from './support/stack';

// The contract between the two halves: the real web app (Better Auth + its JWT plugin) signs,
// the real API verifies, with nothing configured but what a user puts in .env. A user signs
// up over plain HTTP, takes the JWT from /api/auth/token and calls every Tasks route of the
// API's OpenAPI document (backend/openapi.json, which backend/test/openapi.spec.ts keeps equal
// to the running app's routes). Then the same with RS256 in both halves, and across a key
// rotation.

const databaseUrl = () => process.env.DATABASE_URL!;

/** "METHOD /path/{param}" of every Tasks operation the API documents. */
const TASK_OPERATIONS = Object.entries(openapi.paths as Record<string, object>)
  .filter(([path]) => path.startsWith('/api/users/{userId}/tasks'))
  .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`))
  .sort();

/**
 * Calls every Tasks route with `token` as `userId` (create, list, read, update, delete, read
 * again) and returns the operations it called, so a route added later cannot be skipped.
 */
async function exerciseTasks(stack: Stack, token: string, userId: string): Promise<string[]> {
  const called = new Set<string>();
  const call = async (method: string, template: string, ids: object, body?: unknown) => {
    called.add(`${method} ${template}`);
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent((ids as Record<string, string>)[name]),
    );
    return callApi(stack.api, method, path, token, body);
  };
  const list = '/api/users/{userId}/tasks';
  const one = '/api/users/{userId}/tasks/{taskId}';

  const created = await call('POST', list, { userId }, { title: 'Contract task' });
  expect(created.status).toBe(201);
  const taskId = (created.body as { id: string }).id;
  const ids = { userId, taskId };

  const listed = await call('GET', list, ids);
  expect(listed.status).toBe(200);
  expect((listed.body as { items: { id: string }[] }).items.map((t) => t.id)).toEqual([taskId]);

  expect(await call('GET', one, ids)).toMatchObject({
    status: 200,
    body: { title: 'Contract task' },
  });
  expect(await call('PATCH', one, ids, { completed: true })).toMatchObject({
    status: 200,
    body: { completed: true },
  });
  expect((await call('DELETE', one, ids)).status).toBe(204);
  expect((await call('GET', one, ids)).status).toBe(404);
  return [...called].sort();
}

describe('defaults agree: Better Auth signs what the API accepts, nothing hand-tuned', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(databaseUrl());
  }, 240_000);
  afterAll(() => stack?.stop());

  it('a user signed up over HTTP reaches every Tasks route with the JWT of /api/auth/token', async () => {
    const user = await signUp(stack.web);
    const { token, header, claims } = await tokenOf(stack.web, user);
    expect(header.alg).toBe('EdDSA');
    expect(claims).toMatchObject({ iss: stack.web.url, aud: stack.web.url, sub: user.userId });
    expect(await callApi(stack.api, 'GET', '/api/me', token)).toMatchObject({
      status: 200,
      body: { id: user.userId },
    });
    expect(await exerciseTasks(stack, token, user.userId)).toEqual(TASK_OPERATIONS);
  });

  it('the same routes refuse no token (401) and another user (403)', async () => {
    const [alice, bob] = [await signUp(stack.web), await signUp(stack.web)];
    const { token } = await tokenOf(stack.web, alice);
    const tasksOf = (id: string) => `/api/users/${id}/tasks`;
    expect((await callApi(stack.api, 'GET', tasksOf(alice.userId), undefined)).status).toBe(401);
    expect((await callApi(stack.api, 'GET', tasksOf(bob.userId), token)).status).toBe(403);
  });

  // The doctor, run as a user runs it, against the real thing.
  it('passes every check, and accepts a token of this Better Auth (exit 0)', async () => {
    const checks = await runDoctorCli([], stackEnv(stack));
    expect(checks.lines.filter((line) => !line.startsWith('✓ '))).toEqual(['All checks passed.']);
    expect(checks.code).toBe(0);

    const { token } = await tokenOf(stack.web, await signUp(stack.web, 'doctor'));
    const verdict = await runDoctorCli(['--token', token], stackEnv(stack));
    expect(verdict.lines.at(-1)).toMatch(
      /^✓ Accepted: the API would let user ".+" in; it expires in \d+ min\.$/,
    );
    expect(verdict.code).toBe(0);
  });

  it('names the real signing key Better Auth encrypted, once the secret changed (exit 1)', async () => {
    const env = stackEnv(stack, {
      BETTER_AUTH_SECRET: 'another-secret-0123456789-abcdefghijklmnop',
    });
    const { lines, code } = await runDoctorCli([], env);
    expect(lines.find((line) => line.includes('signing-keys'))).toMatch(
      /^✗ signing-keys .*encrypted with another BETTER_AUTH_SECRET/,
    );
    expect(code).toBe(1);
  });
});

describe('RS256 in both halves, and a key rotation', () => {
  let stack: Stack;
  let rsaDatabase: string;
  beforeAll(async () => {
    // Its own database: Better Auth keeps signing with a key that exists, whatever the
    // algorithm now configured, so RS256 needs a database without an EdDSA key.
    rsaDatabase = await createDatabase(databaseUrl(), `e2e_rs256_${Date.now().toString(36)}`);
    stack = await startStack(rsaDatabase, {
      AUTH_JWT_ALGORITHM: 'RS256',
      AUTH_JWT_ROTATION_DAYS: '30',
    });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    if (rsaDatabase) await dropDatabase(databaseUrl(), rsaDatabase);
  });

  it('AUTH_JWT_ALGORITHM=RS256: the web app signs RS256, the API accepts it on every route', async () => {
    const user = await signUp(stack.web, 'rs256');
    const { token, header } = await tokenOf(stack.web, user);
    expect(header.alg).toBe('RS256');
    expect(await exerciseTasks(stack, token, user.userId)).toEqual(TASK_OPERATIONS);
  });

  it('after a rotation, tokens of the old key keep working and new ones carry the new kid', async () => {
    const user = await signUp(stack.web, 'rotation');
    const before = await tokenOf(stack.web, user); // not shown to the API until after rotation
    // The rotation interval is over: Better Auth makes a new key on the next token. The
    // old key stays in the JWKS for the grace period (30 days by default).
    await sql(stack.databaseUrl, `UPDATE jwks SET "expiresAt" = now() - interval '1 second'`);
    const after = await tokenOf(stack.web, user);
    expect(after.header.kid).not.toBe(before.header.kid);
    expect(after.header.alg).toBe('RS256');

    const jwks = (await (await fetch(`${stack.web.url}/api/auth/jwks`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([before.header.kid, after.header.kid]),
    );
    const tasks = `/api/users/${user.userId}/tasks`;
    expect((await callApi(stack.api, 'GET', tasks, before.token)).status).toBe(200);
    expect((await callApi(stack.api, 'GET', tasks, after.token)).status).toBe(200);
    expect(await exerciseTasks(stack, after.token, user.userId)).toEqual(TASK_OPERATIONS);
  });
});
