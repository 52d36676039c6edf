import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, startTestApi, type TestApi } from './support/api';

const USERS = 50;
const TASKS_EACH = 8;

describe('isolation at volume (e2e)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it(`${USERS} users create ${TASKS_EACH} tasks each, concurrently; each lists exactly their own`, async () => {
    // Better Auth ids are random strings, not UUIDs: use both shapes.
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const id = i % 2 ? randomUUID() : randomBytes(16).toString('base64url');
        return { id, token: await api.tokenFor(id), created: [] as string[] };
      }),
    );

    await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: TASKS_EACH }, async (_, n) => {
          const res = await api.http
            .post(`/api/users/${user.id}/tasks`)
            .set(bearer(user.token))
            .send({ title: `${user.id} #${n}` });
          expect(res.status).toBe(201);
          user.created.push(res.body.id);
        }),
      ),
    );

    await Promise.all(
      users.map(async (user) => {
        const res = await api.http
          .get(`/api/users/${user.id}/tasks?limit=100`)
          .set(bearer(user.token))
          .expect(200);
        const ids = res.body.items.map((t: { id: string }) => t.id);
        expect(ids.sort()).toEqual([...user.created].sort());
        for (const task of res.body.items) expect(task.title.startsWith(`${user.id} #`)).toBe(true);
        expect(res.body.nextCursor).toBeNull();
      }),
    );
  });
});
