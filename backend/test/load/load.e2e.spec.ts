import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestApi, type TestApi } from '../support/api';
import { HttpClient } from '../support/http-client';

// `npm run test:load`: 200 users sign in (a token from the test issuer, as Better Auth would
// hand out) and create tasks as fast as the API lets them, each with one request in flight,
// for LOAD_DURATION_SECONDS (default 60) over loopback. Then: no 5xx, no dropped connection,
// and the database holds exactly the tasks that were answered 201, each under its owner.
// The numbers are printed, never asserted (the machine's speed is not the API's behaviour).

const USERS = 200;
const DURATION_SECONDS = Number(process.env.LOAD_DURATION_SECONDS || 60);

interface LoadUser {
  id: string;
  token: string;
  created: string[];
}

describe(`load: ${USERS} users creating tasks for ${DURATION_SECONDS} s`, () => {
  let api: TestApi;
  let client: HttpClient;

  beforeAll(async () => {
    if (!(DURATION_SECONDS > 0)) throw new Error('LOAD_DURATION_SECONDS must be a positive number');
    api = await startTestApi();
    client = new HttpClient(api.baseUrl, undefined, USERS);
  });
  afterAll(async () => {
    client?.close();
    await api?.close();
  });

  it(
    'answers every request, none with a 5xx, and loses no task',
    async () => {
      const signInStarted = performance.now();
      // Better Auth user ids are random strings; half of them UUIDs, as other issuers use.
      const users: LoadUser[] = await Promise.all(
        Array.from({ length: USERS }, async (_, i) => {
          const id = i % 2 ? randomUUID() : randomBytes(16).toString('base64url');
          return { id, token: await api.tokenFor(id), created: [] };
        }),
      );
      const signInMs = performance.now() - signInStarted;

      const statuses = new Map<number, number>();
      const failures: string[] = [];
      const latencies: number[] = [];
      const started = performance.now();
      const deadline = started + DURATION_SECONDS * 1000;

      await Promise.all(
        users.map(async (user) => {
          for (let n = 0; performance.now() < deadline; n++) {
            const sent = performance.now();
            try {
              const res = await client.request({
                method: 'POST',
                path: `/api/users/${encodeURIComponent(user.id)}/tasks`,
                headers: { Authorization: `Bearer ${user.token}` },
                body: { title: `${user.id} #${n}` },
              });
              latencies.push(performance.now() - sent);
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              if (res.status === 201) user.created.push((res.body as { id: string }).id);
              else if (failures.length < 5)
                failures.push(`${res.status} ${res.text.slice(0, 200)}`);
            } catch (error) {
              statuses.set(0, (statuses.get(0) ?? 0) + 1);
              if (failures.length < 5) failures.push(`no answer: ${(error as Error).message}`);
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;

      const db = new pg.Client({ connectionString: api.config.databaseUrl });
      await db.connect();
      let rows: Array<{ id: string; user_id: string }>;
      try {
        rows = (await db.query('SELECT id, user_id FROM tasks')).rows;
      } finally {
        await db.end();
      }

      const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
      const created = users.reduce((sum, u) => sum + u.created.length, 0);
      latencies.sort((a, b) => a - b);
      const pct = (p: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
      process.stdout.write(
        [
          `[load] ${USERS} users signed in in ${signInMs.toFixed(0)} ms`,
          `[load] ${requests} requests in ${seconds.toFixed(1)} s: ${(requests / seconds).toFixed(0)} req/s`,
          `[load] statuses ${JSON.stringify(Object.fromEntries(statuses))} (0 = no answer)`,
          `[load] latency ms p50 ${pct(0.5).toFixed(1)}, p90 ${pct(0.9).toFixed(1)}, p99 ${pct(0.99).toFixed(1)}, max ${pct(1).toFixed(1)}`,
          `[load] 201s ${created}, rows in the database ${rows.length}`,
          ...failures.map((f) => `[load] e.g. ${f}`),
          '',
        ].join('\n'),
      );

      const serverErrors = [...statuses].filter(([s]) => s >= 500 || s === 0);
      expect(serverErrors).toEqual([]);
      expect(requests).toBeGreaterThan(0);

      // Exactly the 201s, each under its owner: nothing lost, nothing extra, nobody else's.
      const ownerOf = new Map(rows.map((r) => [r.id, r.user_id]));
      const expected = users.flatMap((u) => u.created.map((id) => [id, u.id] as const));
      expect(rows).toHaveLength(expected.length);
      const misplaced = expected.filter(([id, owner]) => ownerOf.get(id) !== owner);
      expect(misplaced).toEqual([]);
    },
    (DURATION_SECONDS + 180) * 1000,
  );
});
