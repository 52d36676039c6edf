import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { attackTarget, itWritesNoSecretToTheLogs } from '../support/attack';
import { checkFuzz, failBatch, FUZZ_RUN_TIMEOUT_MS, fuzzSeed } from '../support/fuzz';
import { mapConcurrent } from '../support/http-client';
import { discoverRoutes, type DiscoveredRoute } from '../support/routes';

// Property: a signed-in user who sends anything as path parameters, query string and body
// to any route the router serves gets a 2xx or a 4xx, never a 5xx, and the API keeps
// answering. Routes come from the router, so a route added later is fuzzed too.

const REQUESTS = 4_000;
const BATCH = 40;
const SEED = fuzzSeed('request bodies and query strings');

const KNOWN_FIELDS = ['limit', 'cursor', 'completed', 'title', 'description', 'userId', 'id'];
const NASTY = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '%',
  '%zz',
  '%00',
  '..',
  '%2e%2e',
  '%2F',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(40),
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  '0000-01-01T00:00:00.000Z',
  '鍵🔑',
  'x'.repeat(3000),
];

/** encodeURIComponent, but a lone surrogate (which it refuses) goes out as raw bytes. */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};
/** Characters Node's client lets through unescaped in a request path. */
const RAW_SAFE = /^[\x21-\x22\x24-\x7e]*$/;

/** A list cursor as this API spells them (base64url of `<ISO date>|<uuid>`), any date. */
const cursorLike = fc
  .tuple(
    fc.date({ noInvalidDate: true }),
    fc.uuid(),
    fc.oneof({ weight: 4, arbitrary: fc.constant('') }, fc.string({ maxLength: 4 })),
  )
  .map(([date, id, junk]) =>
    Buffer.from(`${date.toISOString()}|${id}${junk}`).toString('base64url'),
  );

/** A value as a client might send it: nasty literals, any text, numbers, cursors. */
const scalarText = fc.oneof(
  cursorLike,
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);

const jsonLeaf = fc.oneof(scalarText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
/** JSON values with the API's own field names mixed in, nested a little. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...KNOWN_FIELDS, '__proto__'), fc.string({ maxLength: 8 })),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** A body close to a real one (known fields, odd values) or anything at all. */
const body = fc.oneof(
  fc
    .record(
      { title: jsonValue, description: jsonValue, completed: jsonValue, userId: jsonValue },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.nat({ max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.constant(undefined),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/vnd.api+json',
  undefined,
);

/** A query string: known and unknown keys, repeated keys, brackets, raw percent signs. */
const messyQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...KNOWN_FIELDS),
        fc.constantFrom(
          'limit[]',
          'cursor[a][b]',
          'a[b][c][d][e][f]',
          '__proto__',
          'constructor[prototype]',
        ),
        fc.string({ maxLength: 10 }),
      ),
      scalarText,
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, raw]) =>
        raw && RAW_SAFE.test(k + v) ? `${k}=${v}` : `${encode(k)}=${encode(v)}`,
      )
      .join('&'),
  );

/** A query a real client could send (known keys only), so the values reach the handler. */
const plausibleQuery = fc
  .record(
    {
      limit: fc.oneof(fc.integer({ min: -5, max: 120 }).map(String), scalarText),
      completed: fc.oneof(fc.constantFrom('true', 'false'), scalarText),
      cursor: fc.oneof({ weight: 3, arbitrary: cursorLike }, scalarText),
    },
    { requiredKeys: [] },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${k}=${encode(v)}`)
      .join('&'),
  );

const query = fc.oneof(messyQuery, plausibleQuery);

describe(`input fuzz: ${REQUESTS} requests on every route, never a 5xx (e2e, over HTTP, seed ${SEED})`, () => {
  const target = attackTarget();
  let routes: DiscoveredRoute[];
  let user: string;
  let auth: string;
  let taskId: string;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    routes = discoverRoutes(target.api.app);
    user = randomUUID();
    auth = `Bearer ${await target.api.tokenFor(user)}`;
    const created = await target.client.request({
      method: 'POST',
      path: `/api/users/${user}/tasks`,
      headers: { Authorization: auth },
      body: { title: 'fuzz target' },
    });
    taskId = (created.body as { id: string }).id;
  });

  it('the router serves the task routes (the fuzz is not aimed at nothing)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(7);
  });

  it(
    `${REQUESTS} requests with fuzzed path parameters, query strings and bodies: none is a 5xx`,
    async () => {
      const pathValue = (name: string) =>
        fc.oneof(
          { weight: 6, arbitrary: fc.constant(name === 'userId' ? user : taskId) },
          { weight: 1, arbitrary: fc.constant(randomUUID()) },
          { weight: 1, arbitrary: scalarText.map(encode) },
          {
            weight: 1,
            arbitrary: fc.constantFrom('%', '%zz', '%00', '..', '%2e%2e', '%2F', ';', '%C0%AF'),
          },
        );
      const request = fc.constantFrom(...routes).chain((route) =>
        fc.record({
          route: fc.constant(route),
          params: fc.tuple(...route.params.map((p) => pathValue(p).map((v) => [p, v] as const))),
          query,
          body,
          contentType,
          method: fc.oneof(
            { weight: 9, arbitrary: fc.constant(route.method) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                'GET',
                'POST',
                'PATCH',
                'DELETE',
                'PUT',
                'OPTIONS',
                'HEAD',
              ),
            },
          ),
        }),
      );

      await checkFuzz(
        fc.asyncProperty(
          fc.array(request, { minLength: BATCH, maxLength: BATCH }),
          async (batch) => {
            const failures: string[] = [];
            await mapConcurrent(batch, 16, async (r) => {
              const values = Object.fromEntries(r.params);
              const path = r.route.path.replace(/:(\w+)/g, (_, name: string) => values[name]);
              const url = r.query ? `${path}?${r.query}` : path;
              const headers: string[] = ['Authorization', auth];
              if (r.contentType && r.body !== undefined)
                headers.push('Content-Type', r.contentType);
              let status: number;
              try {
                const res = await target.client.request({
                  method: r.method,
                  path: url,
                  headers,
                  body: r.body,
                });
                status = res.status;
                if (status >= 500 || status < 200) {
                  failures.push(
                    `${status} ${res.text.slice(0, 120)} <- ${r.method} ${url.slice(0, 200)} ${JSON.stringify((r.body ?? '').slice(0, 200))}`,
                  );
                }
              } catch (error) {
                status = 0;
                failures.push(
                  `no answer (${(error as Error).message}) <- ${r.method} ${url.slice(0, 200)}`,
                );
              }
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
            });
            failBatch(failures);
          },
        ),
        SEED,
        REQUESTS / BATCH,
      );
      target.hygiene.report(
        `[fuzz] input statuses: ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      // The fuzz reached the handlers, not only the validation: some requests succeeded.
      expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    },
    FUZZ_RUN_TIMEOUT_MS,
  );

  it('the API keeps answering: health 200, the user still lists their tasks', async () => {
    expect((await target.client.get('/api/health')).status).toBe(200);
    const res = await target.client.get(`/api/users/${user}/tasks`, { Authorization: auth });
    expect(res.status).toBe(200);
  });

  itWritesNoSecretToTheLogs(target);
});
