import { randomUUID } from 'node:crypto';
import { committedOpenApiText } from '../src/openapi/openapi-file';
import { bearer, startTestApi, type TestApi } from './support/api';

describe('tasks API (e2e, real PostgreSQL, test issuer tokens)', () => {
  let api: TestApi;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let bobTask: { id: string };

  const tasksOf = (userId: string) => `/api/users/${userId}/tasks`;

  beforeAll(async () => {
    api = await startTestApi();
    alice = { id: randomUUID(), token: '' };
    alice.token = await api.tokenFor(alice.id, { email: 'alice@example.com', name: 'Alice' });
    bob = { id: `bob-${randomUUID()}`, token: '' };
    bob.token = await api.tokenFor(bob.id, { email: 'bob@example.com', name: 'Bob' });
    const created = await api.http
      .post(tasksOf(bob.id))
      .set(bearer(bob.token))
      .send({ title: "Bob's secret" })
      .expect(201);
    bobTask = created.body;
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('CRUD', () => {
    it('creates, reads, lists, updates and deletes a task', async () => {
      const created = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .send({ title: '  Buy milk ', description: 'two litres' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        title: 'Buy milk',
        description: 'two litres',
        completed: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(created.headers['cache-control']).toBe('no-store');
      const url = `${tasksOf(alice.id)}/${created.body.id}`;

      const read = await api.http.get(url).set(bearer(alice.token)).expect(200);
      expect(read.body).toEqual(created.body);

      const list = await api.http.get(tasksOf(alice.id)).set(bearer(alice.token)).expect(200);
      expect(list.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
      expect(list.body).toHaveProperty('nextCursor');

      const done = await api.http
        .patch(url)
        .set(bearer(alice.token))
        .send({ completed: true })
        .expect(200);
      expect(done.body).toMatchObject({
        title: 'Buy milk',
        description: 'two litres',
        completed: true,
      });
      expect(Date.parse(done.body.updatedAt)).toBeGreaterThanOrEqual(
        Date.parse(created.body.updatedAt),
      );

      const renamed = await api.http
        .patch(url)
        .set(bearer(alice.token))
        .send({ title: 'Buy oat milk', description: null })
        .expect(200);
      expect(renamed.body).toMatchObject({
        title: 'Buy oat milk',
        description: null,
        completed: true,
      });

      const unchanged = await api.http.patch(url).set(bearer(alice.token)).send({}).expect(200);
      expect(unchanged.body).toMatchObject({ title: 'Buy oat milk', completed: true });

      const removed = await api.http.delete(url).set(bearer(alice.token)).expect(204);
      expect(removed.text).toBe('');
      await api.http.get(url).set(bearer(alice.token)).expect(404);
      await api.http.delete(url).set(bearer(alice.token)).expect(404);
    });

    it('filters by completed', async () => {
      const user = randomUUID();
      const token = await api.tokenFor(user);
      const ids: string[] = [];
      for (const title of ['one', 'two', 'three']) {
        const res = await api.http
          .post(tasksOf(user))
          .set(bearer(token))
          .send({ title })
          .expect(201);
        ids.push(res.body.id);
      }
      await api.http
        .patch(`${tasksOf(user)}/${ids[1]}`)
        .set(bearer(token))
        .send({ completed: true })
        .expect(200);

      const done = await api.http
        .get(`${tasksOf(user)}?completed=true`)
        .set(bearer(token))
        .expect(200);
      expect(done.body.items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
      const open = await api.http
        .get(`${tasksOf(user)}?completed=false`)
        .set(bearer(token))
        .expect(200);
      expect(open.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[0]]);
      const all = await api.http.get(tasksOf(user)).set(bearer(token)).expect(200);
      expect(all.body.items.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(all.body.nextCursor).toBeNull();
    });

    it('GET /api/me returns the verified claims', async () => {
      const res = await api.http.get('/api/me').set(bearer(alice.token)).expect(200);
      expect(res.body).toEqual({ id: alice.id, email: 'alice@example.com', name: 'Alice' });
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('authentication and ownership', () => {
    const routes = (userId: string, taskId: string) =>
      [
        ['get', tasksOf(userId)],
        ['post', tasksOf(userId)],
        ['get', `${tasksOf(userId)}/${taskId}`],
        ['patch', `${tasksOf(userId)}/${taskId}`],
        ['delete', `${tasksOf(userId)}/${taskId}`],
      ] as const;

    it('401 with WWW-Authenticate: Bearer without a token, on every route', async () => {
      for (const [method, url] of [
        ...routes(alice.id, randomUUID()),
        ['get', '/api/me'] as const,
      ]) {
        const res = await api.http[method](url).send(
          method === 'post' ? { title: 'x' } : undefined,
        );
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 401 });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });

    it('401 with a garbage, expired or foreign-issuer token', async () => {
      await api.http.get('/api/me').set(bearer('not.a.jwt')).expect(401);
      const expired = await api.issuer.sign({ sub: alice.id }, { expiresIn: -60 });
      await api.http.get('/api/me').set(bearer(expired)).expect(401);
      const { TestIssuer } = await import('@authbridge/nest-auth/testing');
      const stranger = await TestIssuer.create({ issuer: 'http://localhost:3000' });
      await api.http
        .get('/api/me')
        .set(bearer(await stranger.sign({ sub: alice.id })))
        .expect(401);
    });

    it("403 on another user's :userId for every route, and nothing changes", async () => {
      for (const [method, url] of routes(bob.id, bobTask.id)) {
        const res = await api.http[method](url)
          .set(bearer(alice.token))
          .send(method === 'post' || method === 'patch' ? { title: 'hijacked' } : undefined);
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 403 });
      }
      const still = await api.http
        .get(`${tasksOf(bob.id)}/${bobTask.id}`)
        .set(bearer(bob.token))
        .expect(200);
      expect(still.body.title).toBe("Bob's secret");
      const bobList = await api.http.get(tasksOf(bob.id)).set(bearer(bob.token)).expect(200);
      expect(bobList.body.items).toHaveLength(1);
    });

    it("404 on another user's task id under the caller's own :userId, same as a missing id", async () => {
      const missing = randomUUID();
      for (const method of ['get', 'patch', 'delete'] as const) {
        const foreign = await api.http[method](`${tasksOf(alice.id)}/${bobTask.id}`)
          .set(bearer(alice.token))
          .send(method === 'patch' ? { completed: true } : undefined);
        const absent = await api.http[method](`${tasksOf(alice.id)}/${missing}`)
          .set(bearer(alice.token))
          .send(method === 'patch' ? { completed: true } : undefined);
        expect(foreign.status).toBe(404);
        expect(absent.status).toBe(404);
        expect(foreign.body).toEqual(absent.body);
      }
      const still = await api.http
        .get(`${tasksOf(bob.id)}/${bobTask.id}`)
        .set(bearer(bob.token))
        .expect(200);
      expect(still.body.completed).toBe(false);
    });
  });

  describe('validation: 400 naming the field and the rule, never 500', () => {
    let taskUrl: string;
    beforeAll(async () => {
      const res = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .send({ title: 'valid' })
        .expect(201);
      taskUrl = `${tasksOf(alice.id)}/${res.body.id}`;
    });

    const bodyCases: Array<[string, unknown, string, string]> = [
      ['a userId in the body', { title: 't', userId: 'someone-else' }, 'userId', 'unknownProperty'],
      ['an unknown field', { title: 't', priority: 1 }, 'priority', 'unknownProperty'],
      ['a missing title', { description: 'd' }, 'title', 'isDefined'],
      ['an empty title', { title: '' }, 'title', 'isLength'],
      ['a blank title', { title: '   ' }, 'title', 'isLength'],
      ['a 201-character title', { title: 'x'.repeat(201) }, 'title', 'isLength'],
      ['a numeric title', { title: 42 }, 'title', 'isString'],
      ['a NUL character in the title', { title: 'a\u0000b' }, 'title', 'noNulCharacter'],
      [
        'a 2001-character description',
        { title: 't', description: 'd'.repeat(2001) },
        'description',
        'maxLength',
      ],
    ];

    it.each(bodyCases)('POST with %s', async (_case, body, field, rule) => {
      const res = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({
        field,
        rule,
        message: expect.stringContaining(field),
      });
    });

    it.each([
      ['a userId in the body', { userId: 'x' }, 'userId', 'unknownProperty'],
      ['completed as a string', { completed: 'yes' }, 'completed', 'isBoolean'],
      ['an empty title', { title: '' }, 'title', 'isLength'],
      ['a null title', { title: null }, 'title', 'isString'],
      ['a null completed', { completed: null }, 'completed', 'isBoolean'],
      ['an unknown field', { done: true }, 'done', 'unknownProperty'],
    ])('PATCH with %s', async (_case, body, field, rule) => {
      const res = await api.http.patch(taskUrl).set(bearer(alice.token)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({
        field,
        rule,
        message: expect.stringContaining(field),
      });
    });

    it.each([
      ['limit=1000', 'limit', 'max'],
      ['limit=0', 'limit', 'min'],
      ['limit=abc', 'limit', 'isInt'],
      ['limit=1.5', 'limit', 'isInt'],
      ['limit=1&limit=2', 'limit', 'isInt'],
      ['completed=maybe', 'completed', 'isBoolean'],
      ['completed=1', 'completed', 'isBoolean'],
      ['cursor=garbage', 'cursor', 'isTaskCursor'],
      ['userId=someone', 'userId', 'unknownProperty'],
      ['offset=10', 'offset', 'unknownProperty'],
    ])('GET list with ?%s', async (query, field, rule) => {
      const res = await api.http.get(`${tasksOf(alice.id)}?${query}`).set(bearer(alice.token));
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({
        field,
        rule,
        message: expect.stringContaining(field),
      });
    });

    it.each(['get', 'patch', 'delete'] as const)('%s with a non-uuid task id', async (method) => {
      const res = await api.http[method](`${tasksOf(alice.id)}/not-a-uuid`)
        .set(bearer(alice.token))
        .send(method === 'patch' ? { completed: true } : undefined);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'taskId', rule: 'isUuid', message: 'taskId must be a UUID' },
      ]);
    });

    it.each([
      ['POST', () => api.http.post(tasksOf(alice.id))],
      ['PATCH', () => api.http.patch(taskUrl)],
    ])('%s with malformed JSON', async (_method, call) => {
      const res = await call()
        .set(bearer(alice.token))
        .set('Content-Type', 'application/json')
        .send('{"title": "unterminated');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.errors).toEqual([
        { field: 'body', rule: 'json', message: 'body must be valid JSON' },
      ]);
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"title"'],
      ['null', 'null'],
    ])('POST with %s as the body', async (_case, raw) => {
      const res = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
    });

    it('POST without a body', async () => {
      const res = await api.http.post(tasksOf(alice.id)).set(bearer(alice.token));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('title');
    });

    it('answers odd input with a 4xx, never a 500', async () => {
      const queries = [
        'limit=1e309',
        'limit=-0',
        'limit=',
        'cursor=',
        'completed=',
        'completed[]=true',
        'limit[a]=1',
        `cursor=${'A'.repeat(5000)}`,
        '__proto__[x]=1',
      ];
      for (const query of queries) {
        const res = await api.http.get(`${tasksOf(alice.id)}?${query}`).set(bearer(alice.token));
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
      const bodies = [
        '{"title": {"nested": true}}',
        '{"title": ["a"]}',
        '{"__proto__": {"admin": true}, "title": "t"}',
        '{"constructor": {"prototype": {}}, "title": "t"}',
        '{"title": "t", "completed": "true"}',
        '{"title": "t", "description": 5}',
      ];
      for (const body of bodies) {
        const res = await api.http
          .post(tasksOf(alice.id))
          .set(bearer(alice.token))
          .set('Content-Type', 'application/json')
          .send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      const charset = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{"title":"t"}');
      expect(charset.status).toBe(415);
    });

    it('rejects a body over the size limit with 413', async () => {
      const res = await api.http
        .post(tasksOf(alice.id))
        .set(bearer(alice.token))
        .send({ title: 't', description: 'x'.repeat(64 * 1024) });
      expect(res.status).toBe(413);
    });
  });

  describe('pagination', () => {
    it('keyset pages lose nothing and repeat nothing while tasks are being created', async () => {
      const user = randomUUID();
      const token = await api.tokenFor(user);
      const create = (title: string) =>
        api.http.post(tasksOf(user)).set(bearer(token)).send({ title }).expect(201);

      const initial: string[] = [];
      for (let i = 0; i < 10; i++) {
        const batch = await Promise.all(
          Array.from({ length: 5 }, (_, j) => create(`initial ${i * 5 + j}`)),
        );
        initial.push(...batch.map((r) => r.body.id));
      }

      const seen: Array<{ id: string; createdAt: string }> = [];
      let cursor: string | null = null;
      let pages = 0;
      let writer = 0;
      do {
        // Others keep writing between (and during) page reads.
        const concurrentWrites = Promise.all([
          create(`during ${writer++}`),
          create(`during ${writer++}`),
        ]);
        const query: string = cursor ? `?limit=7&cursor=${cursor}` : '?limit=7';
        const [page] = await Promise.all([
          api.http
            .get(`${tasksOf(user)}${query}`)
            .set(bearer(token))
            .expect(200),
          concurrentWrites,
        ]);
        expect(page.body.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 50);

      const ids = seen.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(initial));
      for (let i = 1; i < seen.length; i++) {
        const [prev, next] = [seen[i - 1], seen[i]];
        const ordered =
          prev.createdAt > next.createdAt ||
          (prev.createdAt === next.createdAt && prev.id > next.id);
        expect(ordered).toBe(true);
      }
    });

    it('defaults to 20 per page', async () => {
      const user = randomUUID();
      const token = await api.tokenFor(user);
      await Promise.all(
        Array.from({ length: 21 }, (_, i) =>
          api.http
            .post(tasksOf(user))
            .set(bearer(token))
            .send({ title: `t${i}` })
            .expect(201),
        ),
      );
      const first = await api.http.get(tasksOf(user)).set(bearer(token)).expect(200);
      expect(first.body.items).toHaveLength(20);
      const second = await api.http
        .get(`${tasksOf(user)}?cursor=${first.body.nextCursor}`)
        .set(bearer(token))
        .expect(200);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
    });

    it("a cursor taken from someone else's list reveals nothing of theirs", async () => {
      const bobPage = await api.http
        .get(`${tasksOf(bob.id)}?limit=1`)
        .set(bearer(bob.token))
        .expect(200);
      const anyCursor =
        bobPage.body.nextCursor ??
        'MjA5OS0wMS0wMVQwMDowMDowMC4wMDBafDAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA';
      const res = await api.http
        .get(`${tasksOf(alice.id)}?cursor=${anyCursor}`)
        .set(bearer(alice.token))
        .expect(200);
      expect(res.body.items.map((t: { title: string }) => t.title)).not.toContain("Bob's secret");
    });
  });

  describe('HTTP hardening and docs', () => {
    it('GET /api/health is public', async () => {
      const res = await api.http.get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    });

    it('sends security headers and hides the framework', async () => {
      const res = await api.http.get('/api/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('CORS: the configured origins may send Authorization, others get no grant', async () => {
      const allowed = await api.http
        .options(tasksOf(alice.id))
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/i);

      const denied = await api.http
        .options(tasksOf(alice.id))
        .set('Origin', 'https://evil.example.com')
        .set('Access-Control-Request-Method', 'POST');
      expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('serves the OpenAPI document with the bearer scheme at /api/docs', async () => {
      const page = await api.http.get('/api/docs').redirects(1).expect(200);
      expect(page.text).toContain('swagger');
      const doc = await api.http.get('/api/docs/openapi.json').expect(200);
      expect(doc.body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/health',
          '/api/me',
          '/api/users/{userId}/tasks',
          '/api/users/{userId}/tasks/{taskId}',
        ]),
      );
      const list = doc.body.paths['/api/users/{userId}/tasks'].get;
      expect(list.security).toEqual([{ bearer: [] }]);
      expect(JSON.stringify(list)).toMatch(/cursor/i);
      const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
      expect(limit.schema).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 20,
      });
    });

    it('serves exactly the committed contract, backend/openapi.json', async () => {
      // openapi.spec.ts proves the file matches the code built without a database; this, that
      // the document the running app serves is that same one.
      const doc = await api.http.get('/api/docs/openapi.json').expect(200);
      expect(doc.body).toEqual(JSON.parse(committedOpenApiText() ?? '{}'));
    });
  });

  it('ran under the owner guard, which saw every kind of statement on tasks', () => {
    // test/support/tasks-query-guard.setup.ts: proves the guard listens where the app queries.
    const { seen } = (globalThis as { __tasksQueryGuard?: { seen: Record<string, number> } })
      .__tasksQueryGuard!;
    expect(Object.keys(seen)).toEqual(
      expect.arrayContaining(['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
    );
  });
});
