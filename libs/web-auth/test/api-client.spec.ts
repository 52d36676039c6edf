import type { AxiosAdapter, InternalAxiosRequestConfig } from 'axios';
import { ApiError, createApiClient, createTokenManager, isApiError } from '../src/index.js';
import { betterAuthLikeJwt } from './jwt.js';
import { acceptOnly, json, startServer, type TestServer } from './http-server.js';

/** Token factory: a new Better Auth-like JWT per call, numbered. */
function tokenSource() {
  const issued: string[] = [];
  const fetchToken = jest.fn(async () => {
    const token = betterAuthLikeJwt(`user-${issued.length + 1}`, Math.floor(Date.now() / 1000));
    issued.push(token);
    return token;
  });
  return { issued, fetchToken };
}

/** Rejection of `promise` as an ApiError (fails the test if it resolves or rejects otherwise). */
async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  expect(isApiError(error)).toBe(true);
  return error as ApiError;
}

let api: TestServer;
let thirdParty: TestServer;

beforeAll(async () => {
  [api, thirdParty] = await Promise.all([startServer(), startServer()]);
});
afterAll(async () => {
  await Promise.all([api.close(), thirdParty.close()]);
});
beforeEach(() => {
  api.seen.length = 0;
  thirdParty.seen.length = 0;
  api.handle((_req, res) => json(res, 200, { ok: true }));
  thirdParty.handle((_req, res) => json(res, 200, { ok: true }));
});

describe('createApiClient: which requests get the token', () => {
  function client() {
    const { issued, fetchToken } = tokenSource();
    const tokenManager = createTokenManager({ fetchToken });
    return { issued, http: createApiClient({ baseURL: `${api.origin}/v1`, tokenManager }) };
  }

  it('sends Authorization: Bearer to the API for a relative URL', async () => {
    const { http, issued } = client();
    await http.get('/tasks');
    expect(api.seen).toEqual([
      { method: 'GET', url: '/v1/tasks', authorization: `Bearer ${issued[0]}` },
    ]);
  });

  it('sends it for an absolute URL on the API origin', async () => {
    const { http, issued } = client();
    await http.get(`${api.origin}/health`);
    expect(api.seen[0]!.authorization).toBe(`Bearer ${issued[0]}`);
  });

  it('does not send it to a third-party absolute URL, and does not fetch a token for it', async () => {
    const { http, issued } = client();
    await http.get(`${thirdParty.origin}/collect`);
    expect(thirdParty.seen).toEqual([{ method: 'GET', url: '/collect', authorization: undefined }]);
    expect(issued).toHaveLength(0);
  });

  it('does not send it when a per-request baseURL points elsewhere', async () => {
    const { http } = client();
    await http.get('/collect', { baseURL: thirdParty.origin });
    expect(thirdParty.seen[0]!.authorization).toBeUndefined();
  });

  it('treats another port or another host spelling as another origin', async () => {
    const { http } = client();
    await http.get(`http://localhost:${api.port}/v1/tasks`);
    expect(api.seen[0]!.authorization).toBeUndefined();
  });

  it('replaces a caller-set Authorization default with the managed token', async () => {
    const { issued, fetchToken } = tokenSource();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      axiosConfig: { headers: { Authorization: 'Bearer something-else' } },
    });
    await http.get('/tasks');
    expect(api.seen[0]!.authorization).toBe(`Bearer ${issued[0]}`);
  });

  describe('URL tricks (decision checked at the adapter, as a browser would resolve them)', () => {
    const seenBy =
      (calls: InternalAxiosRequestConfig[]): AxiosAdapter =>
      async (config) => {
        calls.push(config);
        return { data: {}, status: 200, statusText: 'OK', headers: {}, config };
      };

    const originalWindow = (globalThis as { window?: unknown }).window;
    afterEach(() => {
      (globalThis as { window?: unknown }).window = originalWindow;
    });

    it.each([
      ['protocol-relative URL', '//evil.example/steal'],
      ['userinfo that looks like the API host', 'https://api.example.com@evil.example/'],
      ['other scheme, same host', 'http://api.example.com/tasks'],
      ['API host as a subdomain of another', 'https://api.example.com.evil.example/'],
      ['other port', 'https://api.example.com:8443/tasks'],
    ])('%s gets no token', async (_label, url) => {
      (globalThis as { window?: unknown }).window = {
        location: { href: 'https://app.example.com/dashboard' },
      };
      const calls: InternalAxiosRequestConfig[] = [];
      const { fetchToken } = tokenSource();
      const http = createApiClient({
        baseURL: 'https://api.example.com',
        tokenManager: createTokenManager({ fetchToken }),
        axiosConfig: { adapter: seenBy(calls) },
      });

      await http.get(url);
      expect(calls[0]!.headers.Authorization).toBeUndefined();
      expect(fetchToken).not.toHaveBeenCalled();
    });

    it('a same-origin baseURL path ("/api") in a browser gets the token', async () => {
      (globalThis as { window?: unknown }).window = {
        location: { href: 'https://app.example.com/dashboard' },
      };
      const calls: InternalAxiosRequestConfig[] = [];
      const { fetchToken, issued } = tokenSource();
      const http = createApiClient({
        baseURL: '/api',
        tokenManager: createTokenManager({ fetchToken }),
        axiosConfig: { adapter: seenBy(calls) },
      });

      await http.get('/tasks');
      await http.get('//evil.example/tasks');
      expect(calls[0]!.headers.Authorization).toBe(`Bearer ${issued[0]}`);
      expect(calls[1]!.headers.Authorization).toBeUndefined();
    });
  });

  it('refuses a baseURL it cannot resolve to an http(s) origin', () => {
    const tokenManager = createTokenManager({ fetchToken: async () => null });
    expect(() => createApiClient({ baseURL: '/api', tokenManager })).toThrow(TypeError);
    expect(() => createApiClient({ baseURL: 'ftp://x.example', tokenManager })).toThrow(TypeError);
  });
});

describe('createApiClient: 401 handling', () => {
  it('on a 401 fetches a fresh token once and retries once', async () => {
    const { issued, fetchToken } = tokenSource();
    api.handle(acceptOnly(() => issued.slice(1))); // the first token is refused
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
    });

    const response = await http.get('/tasks');

    expect(response.status).toBe(200);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(api.seen.map((r) => r.authorization)).toEqual([
      `Bearer ${issued[0]}`,
      `Bearer ${issued[1]}`,
    ]);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('retries a POST with the same JSON body', async () => {
    const { issued, fetchToken } = tokenSource();
    const bodies: string[] = [];
    const accept = acceptOnly(() => issued.slice(1));
    api.handle((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(body);
        accept(req, res);
      });
    });
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated: jest.fn(),
    });

    await http.post('/tasks', { title: 'Write README' });

    expect(bodies).toEqual(['{"title":"Write README"}', '{"title":"Write README"}']);
  });

  it('calls onUnauthenticated when the retry is a 401 too, and rejects with an unauthenticated ApiError', async () => {
    const { fetchToken } = tokenSource();
    api.handle(acceptOnly(() => []));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
    });

    const error = await apiErrorOf(http.get('/tasks'));

    expect(error).toMatchObject({ kind: 'unauthenticated', status: 401 });
    expect(api.seen).toHaveLength(2); // the request and ONE retry
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('100 concurrent requests refused with a stale token share one refresh', async () => {
    const { issued, fetchToken } = tokenSource();
    api.handle(acceptOnly(() => issued.slice(1)));
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated: jest.fn(),
    });

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => http.get(`/tasks/${i}`)),
    );

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(api.seen).toHaveLength(200);
  });

  it('without a session: nothing is sent, onUnauthenticated at once', async () => {
    const fetchToken = jest.fn(async () => null);
    api.handle(acceptOnly(() => []));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
    });

    const error = await apiErrorOf(http.get('/tasks'));

    expect(error).toMatchObject({ kind: 'unauthenticated', status: null, code: 'NO_SESSION' });
    expect(api.seen).toEqual([]);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('without a session, a third-party URL is still sent (it never gets a token)', async () => {
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken: async () => null }),
      onUnauthenticated: jest.fn(),
    });
    await http.get(`${thirdParty.origin}/public`);
    expect(thirdParty.seen).toEqual([{ method: 'GET', url: '/public', authorization: undefined }]);
    expect(api.seen).toEqual([]);
  });

  it("withoutSession: 'send' lets a guest reach a public route, with no Authorization", async () => {
    api.handle((req, res) => json(res, 200, { public: true }));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken: async () => null }),
      onUnauthenticated,
      withoutSession: 'send',
    });

    const response = await http.get('/feed');

    expect(response.data).toEqual({ public: true });
    expect(api.seen).toEqual([{ method: 'GET', url: '/feed', authorization: undefined }]);
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it("withoutSession: 'send': a guarded route's 401 still ends in onUnauthenticated, no retry", async () => {
    const fetchToken = jest.fn(async () => null);
    api.handle(acceptOnly(() => []));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
      withoutSession: 'send',
    });

    const error = await apiErrorOf(http.get('/tasks'));

    expect(error).toMatchObject({ kind: 'unauthenticated', status: 401 });
    expect(api.seen).toEqual([{ method: 'GET', url: '/tasks', authorization: undefined }]);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('calls onUnauthenticated once for a burst of failures, and again after a success', async () => {
    const { fetchToken } = tokenSource();
    let accepting = false;
    api.handle((req, res) => (accepting ? json(res, 200, {}) : acceptOnly(() => [])(req, res)));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
    });

    await Promise.allSettled(Array.from({ length: 5 }, () => http.get('/tasks')));
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);

    accepting = true;
    await http.get('/tasks');
    accepting = false;
    await Promise.allSettled([http.get('/tasks')]);
    expect(onUnauthenticated).toHaveBeenCalledTimes(2);
  });

  it('ignores a 401 from a third party: no refresh, no onUnauthenticated', async () => {
    const { fetchToken } = tokenSource();
    thirdParty.handle(acceptOnly(() => []));
    const onUnauthenticated = jest.fn();
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated,
    });

    const error = await apiErrorOf(http.get(`${thirdParty.origin}/x`));

    expect(error.status).toBe(401);
    expect(thirdParty.seen).toHaveLength(1);
    expect(fetchToken).not.toHaveBeenCalled();
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  describe('default onUnauthenticated', () => {
    const originalWindow = (globalThis as { window?: unknown }).window;
    afterEach(() => {
      (globalThis as { window?: unknown }).window = originalWindow;
    });

    function fakeWindow(pathname: string, search = '') {
      const assign = jest.fn();
      (globalThis as { window?: unknown }).window = {
        location: {
          href: `http://app.test${pathname}${search}`,
          pathname,
          search,
          hash: '',
          assign,
        },
      };
      return assign;
    }

    it('goes to /sign-in?returnUrl=<current path>', async () => {
      const assign = fakeWindow('/tasks', '?page=2');
      api.handle(acceptOnly(() => []));
      const http = createApiClient({
        baseURL: api.origin,
        tokenManager: createTokenManager({ fetchToken: async () => null }),
      });

      await apiErrorOf(http.get('/tasks'));

      expect(assign).toHaveBeenCalledWith('/sign-in?returnUrl=/tasks%3Fpage%3D2');
    });

    it('stays put when already on /sign-in', async () => {
      const assign = fakeWindow('/sign-in');
      api.handle(acceptOnly(() => []));
      const http = createApiClient({
        baseURL: api.origin,
        tokenManager: createTokenManager({ fetchToken: async () => null }),
      });

      await apiErrorOf(http.get('/tasks'));
      expect(assign).not.toHaveBeenCalled();
    });
  });
});

describe('createApiClient: typed errors', () => {
  function client() {
    const { fetchToken } = tokenSource();
    return createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({ fetchToken }),
      onUnauthenticated: jest.fn(),
    });
  }

  it('400 with a string[] message (Nest validation) is a validation error with every message', async () => {
    api.handle((_req, res) =>
      json(res, 400, {
        statusCode: 400,
        error: 'Bad Request',
        message: ['title must not be empty', 'dueDate must be a date'],
        errors: [
          { field: 'title', rule: 'isNotEmpty', message: 'title must not be empty' },
          { field: 'dueDate', rule: 'isDate', message: 'dueDate must be a date' },
        ],
      }),
    );
    const error = await apiErrorOf(client().post('/tasks', {}));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: 'validation',
      status: 400,
      code: 'Bad Request',
      message: 'title must not be empty; dueDate must be a date',
      messages: ['title must not be empty', 'dueDate must be a date'],
    });
    expect(error.fieldErrors.map((f) => f.field)).toEqual(['title', 'dueDate']);
  });

  it.each([
    [
      403,
      { message: 'You cannot edit this task', code: 'NOT_OWNER' },
      'forbidden',
      'You cannot edit this task',
      'NOT_OWNER',
    ],
    [404, { statusCode: 404, message: 'Not Found' }, 'not_found', 'Not found.', null],
    [409, { message: 'Task already exists' }, 'conflict', 'Task already exists', null],
    [
      429,
      'Too Many Requests',
      'rate_limited',
      'Too many requests. Wait a moment and try again.',
      null,
    ],
    [
      500,
      { statusCode: 500, message: 'Internal server error' },
      'server',
      'Something went wrong on our side. Try again later.',
      null,
    ],
    [
      502,
      '<html>bad gateway</html>',
      'server',
      'Something went wrong on our side. Try again later.',
      null,
    ],
  ])('%i maps to a readable ApiError', async (status, body, kind, message, code) => {
    api.handle((_req, res) => {
      if (typeof body === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      } else json(res, status, body);
    });
    const error = await apiErrorOf(client().get('/tasks/1'));
    expect(error).toMatchObject({ kind, status, message });
    if (code) expect(error.code).toBe(code);
  });

  it('no server at all is a network error without a status', async () => {
    const gone = await startServer();
    await gone.close();
    const http = createApiClient({
      baseURL: gone.origin,
      tokenManager: createTokenManager({ fetchToken: tokenSource().fetchToken }),
    });

    const error = await apiErrorOf(http.get('/tasks'));
    expect(error).toMatchObject({ kind: 'network', status: null, code: 'ECONNREFUSED' });
  });

  it('a failed token fetch is a network error, and the request is not sent', async () => {
    const http = createApiClient({
      baseURL: api.origin,
      tokenManager: createTokenManager({
        fetchToken: async () => {
          throw new Error('auth server down');
        },
      }),
    });

    const error = await apiErrorOf(http.get('/tasks'));
    expect(error).toMatchObject({ kind: 'network', code: 'TOKEN_FETCH_FAILED' });
    expect((error.cause as Error).message).toBe('auth server down');
    expect(api.seen).toHaveLength(0);
  });

  it('an aborted request is cancelled', async () => {
    const controller = new AbortController();
    // Never answers; aborts once the request has reached the server (not after a guessed delay).
    api.handle(() => controller.abort());
    const pending = client().get('/slow', { signal: controller.signal });
    expect((await apiErrorOf(pending)).kind).toBe('cancelled');
    expect(api.seen.map((r) => r.url)).toEqual(['/slow']);
  });
});

describe('the JWT stays in memory', () => {
  const names = ['localStorage', 'sessionStorage', 'document'] as const;
  const saved: Partial<Record<(typeof names)[number], unknown>> = {};

  function fakeStorage() {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, String(v)),
      removeItem: (k: string) => void data.delete(k),
      clear: () => data.clear(),
      key: (i: number) => [...data.keys()][i] ?? null,
      get length() {
        return data.size;
      },
    };
  }

  beforeEach(() => {
    for (const name of names) saved[name] = (globalThis as Record<string, unknown>)[name];
  });
  afterEach(() => {
    for (const name of names) (globalThis as Record<string, unknown>)[name] = saved[name];
  });

  it('writes nothing to localStorage, sessionStorage or document.cookie', async () => {
    const local = fakeStorage();
    const session = fakeStorage();
    const cookies: string[] = [];
    const g = globalThis as Record<string, unknown>;
    g.localStorage = local;
    g.sessionStorage = session;
    g.document = {
      get cookie() {
        return cookies.join('; ');
      },
      set cookie(value: string) {
        cookies.push(value);
      },
    };

    const { issued, fetchToken } = tokenSource();
    api.handle(acceptOnly(() => issued.slice(1)));
    const tokenManager = createTokenManager({ fetchToken });
    const http = createApiClient({ baseURL: api.origin, tokenManager });

    await http.get('/tasks'); // 401, refresh, retry
    await Promise.all([http.get('/a'), http.get('/b')]);
    tokenManager.clear();

    expect(issued.length).toBeGreaterThan(0);
    expect(local.length).toBe(0);
    expect(session.length).toBe(0);
    expect(cookies).toEqual([]);
  });
});
