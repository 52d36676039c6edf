// The web app's HTTP server: Next.js behind Node's own http server (Next's documented
// custom-server shape, `next({ dev, dir })` + `http.createServer`). It exists for one
// reason: it is the only code that sees the TCP socket, so it is where the client's
// address is decided (see ./client-address.mjs). Everything else is Next's.
//
// `npm run dev|start -w frontend` (scripts/next.mjs), the root `npm run dev|start`
// (tools/dev.mjs runs those) and the integration tests all start the app through here.
import http from 'node:http';
import next from 'next';
import { markClientAddressStamped, stampClientAddress } from './client-address.mjs';

/** How long in-flight requests get to finish after SIGTERM/SIGINT before we exit anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * TRUST_PROXY_HOPS as a number. next.config.ts has validated it (src/lib/env.ts, one line
 * naming the variable and the rule) by the time `app.prepare()` returns; this only reads it.
 *
 * @param {string | undefined} value
 */
function trustedHopsOf(value) {
  return Number((value ?? '').trim() || 0);
}

/**
 * Starts Next on `port` and resolves once it listens. SIGTERM and SIGINT stop accepting
 * connections, let in-flight requests finish (at most SHUTDOWN_GRACE_MS), close Next and
 * exit with 143 / 130, like `next start` does.
 *
 * @param {{ dev: boolean, dir: string, port: number }} options
 * @returns {Promise<import('node:http').Server>}
 */
export async function startWebServer({ dev, dir, port }) {
  markClientAddressStamped();
  const app = next({ dev, dir, port, hostname: 'localhost' });
  await app.prepare();
  const trustedHops = trustedHopsOf(process.env.TRUST_PROXY_HOPS);
  const handle = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    stampClientAddress(req, trustedHops);
    handle(req, res).catch((error) => {
      console.error('[web] request failed', error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(undefined));
  });
  const hops = trustedHops ? `, trusting ${trustedHops} proxy hop(s)` : '';
  console.log(`[web] ${dev ? 'development' : 'production'} server on port ${port}${hops}`);

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    const code = signal === 'SIGINT' ? 130 : 143;
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(code);
    }, SHUTDOWN_GRACE_MS).unref();
    // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
    server.close(async () => {
      await app.close().catch((error) => console.error('[web] close failed', error));
      process.exit(code);
    });
    server.closeIdleConnections();
    // In development the HMR websocket would hold the server open.
    if (dev) server.closeAllConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}
