import { randomUUID } from 'node:crypto';
import { attackTarget, itWritesNoSecretToTheLogs } from '../support/attack';
import type { HttpClient } from '../support/http-client';

// Inputs that once broke the API with a 500 (issue 9), sent over real HTTP to the real app.

const MAX_DEPTH = 32;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const cursorOf = (iso: string, id: string = randomUUID()) =>
  Buffer.from(`${iso}|${id}`, 'utf8').toString('base64url');

describe('hostile input (e2e, over HTTP)', () => {
  const target = attackTarget();
  let client: HttpClient;
  let user: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    client = target.client;
    user = randomUUID();
    auth = { Authorization: `Bearer ${await target.api.tokenFor(user)}` };
  });

  const post = (body: string, path = `/api/users/${user}/tasks`, method = 'POST') =>
    client.request({
      method,
      path,
      headers: { ...auth, 'Content-Type': 'application/json' },
      body,
    });

  describe('deeply nested JSON bodies', () => {
    it.each([
      ['arrays, 2000 levels (4 KB)', nestedArrays(2000)],
      ['objects, 2000 levels', nestedObjects(2000)],
      ['arrays inside a valid task', `{"title":"x","description":${nestedArrays(1500)}}`],
      [`arrays, ${MAX_DEPTH + 1} levels`, nestedArrays(MAX_DEPTH + 1)],
    ])('POST with %s is a 400 naming the depth limit', async (_label, body) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: [`body must not nest deeper than ${MAX_DEPTH} levels`],
        errors: [
          {
            field: 'body',
            rule: 'maxDepth',
            message: `body must not nest deeper than ${MAX_DEPTH} levels`,
          },
        ],
      });
    });

    it('PATCH with 2000 levels is a 400 too, before the task is looked up', async () => {
      const res = await post(
        nestedArrays(2000),
        `/api/users/${user}/tasks/${randomUUID()}`,
        'PATCH',
      );
      expect(res.status).toBe(400);
      expect((res.body as { errors: unknown[] }).errors).toEqual([
        expect.objectContaining({ field: 'body', rule: 'maxDepth' }),
      ]);
    });

    it(`${MAX_DEPTH} levels are within the limit: the usual validation answers`, async () => {
      const res = await post(`{"title":"x","extra":${nestedArrays(MAX_DEPTH - 1)}}`);
      expect(res.status).toBe(400);
      expect((res.body as { errors: unknown[] }).errors).toEqual([
        expect.objectContaining({ field: 'extra', rule: 'unknownProperty' }),
      ]);
    });

    it('the same deep body without a token is a 400 as well (checked before anything else)', async () => {
      const res = await client.request({
        method: 'POST',
        path: `/api/users/${user}/tasks`,
        headers: { 'Content-Type': 'application/json' },
        body: nestedArrays(2000),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('query strings', () => {
    it.each([
      ['bracket nesting, 500 levels', `a${'[b]'.repeat(500)}=1`],
      ['bracket nesting on a known field', `limit${'[0]'.repeat(200)}=1`],
      ['a repeated field', 'limit=1&limit=2&cursor=a&cursor=b&completed=true&completed=false'],
      ['__proto__ and constructor', '__proto__[x]=1&constructor[prototype][x]=1'],
      // More than the parser's 1000 keys, below Node's 16 KB header limit (431 beyond it).
      ['1500 parameters', Array.from({ length: 1500 }, (_, i) => `p${i}=1`).join('&')],
    ])('%s: 400, never 500', async (_label, query) => {
      const res = await client.get(`/api/users/${user}/tasks?${query}`, auth);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, errors: expect.any(Array) });
    });
  });

  describe('crafted list cursors', () => {
    it.each([
      ['year 0000', cursorOf('0000-01-01T00:00:00.000Z')],
      ['a negative year', cursorOf('-000001-01-01T00:00:00.000Z')],
      ['year 10000', cursorOf('+010000-01-01T00:00:00.000Z')],
      ['year 275760 (the last JavaScript date)', cursorOf('+275760-09-13T00:00:00.000Z')],
      ['before 1970', cursorOf('1969-12-31T23:59:59.999Z')],
      ['an id that is not a UUID', cursorOf('2026-01-01T00:00:00.000Z', `${randomUUID()}x`)],
      ['an id with SQL', cursorOf('2026-01-01T00:00:00.000Z', "' OR 1=1 --")],
      ['a date without milliseconds', cursorOf('2026-01-01T00:00:00Z')],
    ])('%s: 400 isTaskCursor, never 500', async (_label, cursor) => {
      const res = await client.get(`/api/users/${user}/tasks?cursor=${cursor}`, auth);
      expect(res.status).toBe(400);
      expect((res.body as { errors: unknown[] }).errors).toEqual([
        expect.objectContaining({ field: 'cursor', rule: 'isTaskCursor' }),
      ]);
    });

    it.each([
      ['the first millisecond of 1970', '1970-01-01T00:00:00.000Z'],
      ['the last millisecond of 9999', '9999-12-31T23:59:59.999Z'],
    ])('%s is a valid cursor position (200)', async (_label, iso) => {
      const res = await client.get(`/api/users/${user}/tasks?cursor=${cursorOf(iso)}`, auth);
      expect(res.status).toBe(200);
    });
  });

  it('the API still answers afterwards', async () => {
    expect((await client.get('/api/health')).status).toBe(200);
  });

  itWritesNoSecretToTheLogs(target);
});
