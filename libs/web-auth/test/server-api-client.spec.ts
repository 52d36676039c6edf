import { ApiError, createServerApiClient, isApiError } from '../src/server.js';
import { acceptOnly, json, startServer, type TestServer } from './http-server.js';

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
  api.handle((_req, res) => json(res, 200, { tasks: [] }));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
}

describe('createServerApiClient', () => {
  it('sends the token of the current request, asking getToken on every request', async () => {
    let n = 0;
    const getToken = jest.fn(async () => `jwt-${++n}`);
    const http = createServerApiClient({ baseURL: api.origin, getToken });

    const { data } = await http.get('/tasks');
    await http.get('/tasks');

    expect(data).toEqual({ tasks: [] });
    expect(api.seen.map((r) => r.authorization)).toEqual(['Bearer jwt-1', 'Bearer jwt-2']);
  });

  it('accepts getToken resolving to null or undefined (no session): no header', async () => {
    const http = createServerApiClient({ baseURL: api.origin, getToken: async () => undefined });
    await http.get('/public');
    expect(api.seen[0]!.authorization).toBeUndefined();
  });

  it('does not send the token, nor ask for one, for another origin', async () => {
    const getToken = jest.fn(async () => 'jwt');
    const http = createServerApiClient({ baseURL: api.origin, getToken });

    await http.get(`${thirdParty.origin}/x`);

    expect(thirdParty.seen[0]!.authorization).toBeUndefined();
    expect(getToken).not.toHaveBeenCalled();
  });

  it('maps errors to the same ApiError as the browser client', async () => {
    api.handle((_req, res) => json(res, 404, { statusCode: 404, message: 'Task 7 not found' }));
    const http = createServerApiClient({ baseURL: api.origin, getToken: async () => 'jwt' });

    const error = await rejection(http.get('/tasks/7'));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'not_found', status: 404, message: 'Task 7 not found' });
  });

  it('on a 401 calls onUnauthenticated, and lets what it throws (Next redirect()) through untouched', async () => {
    api.handle(acceptOnly(() => []));
    const redirectSignal = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;/sign-in',
    });
    const http = createServerApiClient({
      baseURL: api.origin,
      getToken: async () => 'expired',
      onUnauthenticated: () => {
        throw redirectSignal;
      },
    });

    expect(await rejection(http.get('/tasks'))).toBe(redirectSignal);
    expect(api.seen).toHaveLength(1); // no retry on the server
  });

  it('a 401 from another origin does not call onUnauthenticated', async () => {
    thirdParty.handle(acceptOnly(() => []));
    const onUnauthenticated = jest.fn();
    const http = createServerApiClient({
      baseURL: api.origin,
      getToken: async () => 'jwt',
      onUnauthenticated,
    });

    const error = await rejection(http.get(`${thirdParty.origin}/x`));
    expect(error).toMatchObject({ kind: 'unauthenticated', status: 401 });
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('without onUnauthenticated a 401 is an unauthenticated ApiError', async () => {
    api.handle(acceptOnly(() => []));
    const http = createServerApiClient({ baseURL: api.origin, getToken: async () => null });

    const error = await rejection(http.get('/tasks'));
    expect(isApiError(error) && error.kind).toBe('unauthenticated');
  });

  it("treats Better Auth's 401 APIError from getToken as no session: sent without a token", async () => {
    // What auth.api.getToken() throws without a session (better-call APIError).
    const noSession = Object.assign(new Error('Unauthorized'), {
      status: 'UNAUTHORIZED',
      statusCode: 401,
    });
    const http = createServerApiClient({
      baseURL: api.origin,
      getToken: async () => {
        throw noSession;
      },
    });

    await http.get('/public');
    expect(api.seen).toEqual([{ method: 'GET', url: '/public', authorization: undefined }]);
  });

  it('a throwing getToken is a network ApiError and nothing is sent', async () => {
    const http = createServerApiClient({
      baseURL: api.origin,
      getToken: async () => {
        throw new Error('no request scope');
      },
    });

    const error = await rejection(http.get('/tasks'));
    expect(error).toMatchObject({ kind: 'network', code: 'TOKEN_FETCH_FAILED' });
    expect(api.seen).toHaveLength(0);
  });
});
