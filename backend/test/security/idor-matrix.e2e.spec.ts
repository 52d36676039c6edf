import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { attackTarget, itWritesNoSecretToTheLogs } from '../support/attack';
import type { RawResponse } from '../support/http-client';
import { discoverRoutes, fillPath, type DiscoveredRoute } from '../support/routes';

// Insecure direct object references (OWASP ASVS v4 4.2.1), as a matrix built from the
// router itself: user A's token on every route that takes a :userId or :taskId, with B's
// ids, must get 403 or 404, and B's rows must not change.

/**
 * How to make a legitimate call to each parameterised route. A route the router serves and
 * this table does not know fails the suite: whoever adds one says here how to call it, and
 * the matrix attacks it from then on.
 */
const CALLS: Record<string, { query?: string; body?: Record<string, unknown>; ok: number }> = {
  'GET /api/users/:userId/tasks': { query: '?limit=100', ok: 200 },
  'POST /api/users/:userId/tasks': { body: { title: 'written by A' }, ok: 201 },
  'GET /api/users/:userId/tasks/:taskId': { ok: 200 },
  'PATCH /api/users/:userId/tasks/:taskId': {
    body: { title: 'changed by A', description: null, completed: true },
    ok: 200,
  },
  'DELETE /api/users/:userId/tasks/:taskId': { ok: 204 },
  'DELETE /api/users/:userId': { ok: 200 },
};
const KNOWN_PARAMS = new Set(['userId', 'taskId']);

interface User {
  id: string;
  token: string;
  tasks: string[];
}

describe('IDOR matrix from the route table (e2e, over HTTP, real PostgreSQL)', () => {
  const target = attackTarget();
  let db: pg.Client;
  let routes: DiscoveredRoute[];
  let a: User;
  let b: User;
  let c: User;

  const rowsOf = async (userId: string) =>
    (await db.query('SELECT * FROM tasks WHERE user_id = $1 ORDER BY id', [userId])).rows;

  async function makeUser(id: string, titles: string[]): Promise<User> {
    const user: User = { id, token: await target.api.tokenFor(id), tasks: [] };
    for (const title of titles) {
      const res = await target.client.request({
        method: 'POST',
        path: `/api/users/${encodeURIComponent(id)}/tasks`,
        headers: { Authorization: `Bearer ${user.token}` },
        body: { title, description: `${title}: private notes` },
      });
      expect(res.status).toBe(201);
      user.tasks.push((res.body as { id: string }).id);
    }
    return user;
  }

  function call(route: DiscoveredRoute, as: User, params: Record<string, string>) {
    const recipe = CALLS[`${route.method} ${route.path}`];
    return target.client.request({
      method: route.method,
      path: fillPath(route.path, params) + (recipe.query ?? ''),
      headers: { Authorization: `Bearer ${as.token}` },
      body: recipe.body,
    });
  }

  beforeAll(async () => {
    db = new pg.Client({ connectionString: target.api.config.databaseUrl });
    await db.connect();
    routes = discoverRoutes(target.api.app).filter((r) => r.params.length > 0);
    // Better Auth ids are random strings; the test issuer's are UUIDs: one of each.
    a = await makeUser(randomUUID(), ['A one']);
    b = await makeUser(randomBytes(16).toString('base64url'), ['B one', 'B two', 'B three']);
    c = await makeUser(randomUUID(), []);
  });
  afterAll(async () => {
    await db?.end();
  });

  it('finds the parameterised routes in the router, and knows how to call every one', () => {
    const unknown = routes.filter(
      (r) => !CALLS[`${r.method} ${r.path}`] || r.params.some((p) => !KNOWN_PARAMS.has(p)),
    );
    expect(unknown.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(CALLS).length);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it('each call in the table works for the owner (so a 403/404 below is the guard, not a bad call)', async () => {
    for (const route of routes) {
      const own = await makeUser(c.id, route.params.includes('taskId') ? ['C'] : []);
      const res = await call(route, own, { userId: own.id, taskId: own.tasks.at(-1) ?? '' });
      expect(`${route.method} ${route.path} ${res.status}`).toBe(
        `${route.method} ${route.path} ${CALLS[`${route.method} ${route.path}`].ok}`,
      );
    }
  });

  it("A's token with B's :userId and/or B's :taskId: 403 or 404 on every route, B's rows unchanged", async () => {
    const before = await rowsOf(b.id);
    expect(before).toHaveLength(3);
    const secrets = [...b.tasks, 'B one', 'B two', 'B three', 'private notes'];
    const outcomes: string[] = [];
    const check = (route: DiscoveredRoute, label: string, res: RawResponse) => {
      const leaked = secrets.filter((s) => res.text.includes(s));
      outcomes.push(`${route.method} ${route.path} [${label}] ${res.status}`);
      const refused = res.status === 403 || res.status === 404;
      const where = `${route.method} ${route.path} [${label}] ${res.status}`;
      expect({ where, refused, leaked }).toEqual({ where, refused: true, leaked: [] });
    };

    for (const route of routes) {
      const variants: Array<[string, Record<string, string>]> = route.params.includes('taskId')
        ? b.tasks.flatMap((task): Array<[string, Record<string, string>]> => [
            ["B's user, B's task", { userId: b.id, taskId: task }],
            ["A's user, B's task", { userId: a.id, taskId: task }],
            ["B's user, A's task", { userId: b.id, taskId: a.tasks[0] }],
            ["B's user, a task B does not have", { userId: b.id, taskId: randomUUID() }],
          ])
        : [
            ["B's user", { userId: b.id }],
            [
              "B's user, other case",
              { userId: b.id.toUpperCase() === b.id ? b.id.toLowerCase() : b.id.toUpperCase() },
            ],
          ];
      for (const [label, params] of variants) check(route, label, await call(route, a, params));
    }

    expect(outcomes.length).toBeGreaterThanOrEqual(routes.length);
    expect(await rowsOf(b.id)).toEqual(before);
  });

  it("B's id smuggled in a body or query instead of the path: 400, B's rows unchanged", async () => {
    const before = await rowsOf(b.id);
    const auth = { Authorization: `Bearer ${a.token}` };
    const attempts = [
      target.client.request({
        method: 'POST',
        path: `/api/users/${a.id}/tasks`,
        headers: auth,
        body: { title: 'x', userId: b.id },
      }),
      target.client.request({
        method: 'POST',
        path: `/api/users/${a.id}/tasks`,
        headers: auth,
        body: { title: 'x', user_id: b.id },
      }),
      target.client.request({
        method: 'PATCH',
        path: `/api/users/${a.id}/tasks/${a.tasks[0]}`,
        headers: auth,
        body: { userId: b.id },
      }),
      target.client.get(`/api/users/${a.id}/tasks?userId=${b.id}`, auth),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(400);
    expect(await rowsOf(b.id)).toEqual(before);
  });

  it("B's data is still B's: B lists exactly the three tasks", async () => {
    const res = await target.client.get(`/api/users/${encodeURIComponent(b.id)}/tasks`, {
      Authorization: `Bearer ${b.token}`,
    });
    expect(res.status).toBe(200);
    const ids = (res.body as { items: Array<{ id: string }> }).items.map((t) => t.id);
    expect(ids.sort()).toEqual([...b.tasks].sort());
  });

  itWritesNoSecretToTheLogs(target);
});
