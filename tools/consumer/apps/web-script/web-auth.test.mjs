// @authbridge/web-auth from its tarball in plain Node: both entry points, against a local API
// that behaves like Better Auth's /api/auth/token plus a Nest API guarded by JWTs.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  createApiClient,
  createTokenManager,
  fromBetterAuthClient,
  isApiError,
} from '@authbridge/web-auth';
import { createServerApiClient } from '@authbridge/web-auth/server';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (n) => {
  const iat = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'EdDSA' })}.${b64({ sub: 'ada', n, iat, exp: iat + 900 })}.sig`;
};

describe('@authbridge/web-auth from its tarball (plain Node, ESM)', () => {
  let server;
  let baseURL;
  let issued = 0;
  let accepted = null; // the token the API accepts; any other gets 401

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/auth/token') {
        accepted = jwt(++issued);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: accepted }));
        return;
      }
      const ok = req.headers.authorization === `Bearer ${accepted}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok ? { id: 'ada' } : { statusCode: 401, code: 'token_expired', message: 'expired' },
        ),
      );
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  // What Better Auth's jwtClient() `authClient.token()` resolves to.
  const authClient = {
    token: async () => {
      const res = await fetch(`${baseURL}/api/auth/token`);
      return { data: await res.json(), error: null };
    },
  };

  it('one token fetch for concurrent callers; the API call carries it', async () => {
    const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => tokenManager.getToken()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(issued, 1);
    const api = createApiClient({ baseURL, tokenManager, onUnauthenticated: () => {} });
    assert.deepEqual((await api.get('/api/me')).data, { id: 'ada' });
  });

  it('a 401 refreshes the token once and retries', async () => {
    const tokenManager = createTokenManager({ fetchToken: fromBetterAuthClient(authClient) });
    const api = createApiClient({ baseURL, tokenManager, onUnauthenticated: () => {} });
    await tokenManager.getToken();
    accepted = 'revoked'; // the API stops accepting the cached token
    const before = issued;
    assert.deepEqual((await api.get('/api/me')).data, { id: 'ada' });
    assert.equal(issued, before + 1);
  });

  it('the server entry point sends the token of each request, and reports a 401 as ApiError', async () => {
    const serverApi = createServerApiClient({ baseURL, getToken: async () => accepted });
    assert.deepEqual((await serverApi.get('/api/me')).data, { id: 'ada' });
    const anonymous = createServerApiClient({ baseURL, getToken: async () => null });
    const error = await anonymous.get('/api/me').catch((e) => e);
    assert.ok(isApiError(error));
    assert.equal(error.kind, 'unauthenticated');
    assert.equal(error.status, 401);
  });
});
