import { randomUUID } from 'node:crypto';
import { bearer, startTestApi, type TestApi } from './support/api';

describe('DELETE /api/users/:userId (account deletion, e2e, real PostgreSQL)', () => {
  let api: TestApi;
  const tasksOf = (userId: string) => `/api/users/${userId}/tasks`;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  async function userWithTasks(count: number) {
    const id = randomUUID();
    const token = await api.tokenFor(id, { email: `${id}@example.com`, name: 'U' });
    for (let i = 0; i < count; i++) {
      await api.http
        .post(tasksOf(id))
        .set(bearer(token))
        .send({ title: `task ${i}` })
        .expect(201);
    }
    return { id, token };
  }

  it("deletes every task of the caller and nobody else's, and says how many", async () => {
    const alice = await userWithTasks(3);
    const bob = await userWithTasks(2);
    const deleted = await api.http.delete(`/api/users/${alice.id}`).set(bearer(alice.token));
    expect([deleted.status, deleted.body]).toEqual([200, { tasks: 3 }]);

    const aliceList = await api.http.get(tasksOf(alice.id)).set(bearer(alice.token)).expect(200);
    expect(aliceList.body.items).toEqual([]);
    const bobList = await api.http.get(tasksOf(bob.id)).set(bearer(bob.token)).expect(200);
    expect(bobList.body.items).toHaveLength(2);

    // Idempotent: nothing left to delete.
    const again = await api.http.delete(`/api/users/${alice.id}`).set(bearer(alice.token));
    expect([again.status, again.body]).toEqual([200, { tasks: 0 }]);
  });

  it("refuses another user's id (403) and a missing token (401), deleting nothing", async () => {
    const alice = await userWithTasks(1);
    const mallory = await userWithTasks(0);
    await api.http.delete(`/api/users/${alice.id}`).set(bearer(mallory.token)).expect(403);
    await api.http.delete(`/api/users/${alice.id}`).expect(401);
    const list = await api.http.get(tasksOf(alice.id)).set(bearer(alice.token)).expect(200);
    expect(list.body.items).toHaveLength(1);
  });
});
