import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestIssuer } from '@authbridge/nest-auth/testing';

/** What the JWKS endpoint does: the issuer's TestIssuer.serve() knows only up/down/hang. */
export type JwksMode =
  /** 200 with the issuer's public keys. */
  | 'up'
  /** 503. */
  | 'down'
  /** Accepts the request and never answers. */
  | 'hang'
  /** 200 with an HTML page. */
  | 'html'
  /** 200 with JSON that is not a key set. */
  | 'not-a-jwks'
  /** Closes the connection without a response. */
  | 'reset';

/**
 * A JWKS endpoint under the test's control, serving `issuer`'s keys when up, for outage
 * scenarios: down, hanging, answering garbage.
 */
export async function controllableJwks(issuer: TestIssuer, mode: JwksMode = 'up') {
  const state = { mode, requests: 0 };
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    state.requests++;
    switch (state.mode) {
      case 'up':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
        return;
      case 'down':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
        return;
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'html':
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html><body>Sign in</body></html>');
        return;
      case 'not-a-jwks':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"none today"}');
        return;
      case 'reset':
        req.socket.destroy();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks`;
  return {
    url,
    get requests() {
      return state.requests;
    },
    set mode(next: JwksMode) {
      state.mode = next;
      // A JWKS that comes back answers the requests that were waiting, like a real server.
      if (next !== 'hang') for (const res of hanging) res.destroy();
    },
    get mode() {
      return state.mode;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
