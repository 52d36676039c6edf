// Who is on the other end of a request, decided where the TCP connection ends: in the web
// app's own Node server (server/web-server.mjs), which is the only place that sees the
// socket. Next 16's route handlers and server actions never see it, and Next copies the
// socket address into X-Forwarded-For only when a client did not send one, so a client
// could pick its own address (and reset the sign-in limit with every request).
//
// The server therefore OVERWRITES the headers the app trusts, on every request, before
// Next sees it: X-Forwarded-For becomes the one resolved address (or "unknown" when none
// can be found), X-Forwarded-Proto the resolved scheme. The app (src/lib/client-address.ts)
// reads them only when this module says the server stamped them.
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';

/** The request header holding the resolved client address, exactly one IP. */
export const CLIENT_ADDRESS_HEADER = 'x-forwarded-for';
/** The request header holding the resolved scheme, "http" or "https". */
export const CLIENT_PROTO_HEADER = 'x-forwarded-proto';

// In-process, not a header: a client can send any header, but it cannot set a global in
// the server process. Symbol.for, so the Next bundle's copy of this module sees it too.
const STAMPED = Symbol.for('authbridge.web.clientAddressStamped');

/** Called by the web server before it serves: from now on the headers above are ours. */
export function markClientAddressStamped() {
  globalThis[STAMPED] = true;
}

/** True when this process runs behind the web server that stamps the headers above. */
export function isClientAddressStamped() {
  return globalThis[STAMPED] === true;
}

/**
 * The client's address: the socket's peer when `trustedHops` is 0 (nothing in front of
 * the app; any X-Forwarded-For is the client's own claim and is ignored), else the
 * right-most X-Forwarded-For entry the trusted proxies did not add themselves, i.e. the
 * one `trustedHops` positions to the left of the socket's peer. proxy-addr (Express's own
 * "trust proxy") walks the chain; a chain shorter than that gives its left-most address.
 * Null when there is no usable address: no socket address, or the chosen entry is not an
 * IP (a proxy writing "unknown", a malformed header).
 *
 * @param {{ socket?: { remoteAddress?: string }, headers: Record<string, string | string[] | undefined> }} req
 * @param {number} trustedHops
 * @returns {string | null}
 *
 * @example
 * // behind one proxy: X-Forwarded-For "6.6.6.6, 203.0.113.7", socket 10.0.0.2
 * resolveClientAddress(req, 1); // '203.0.113.7' (6.6.6.6 was the client's own claim)
 */
export function resolveClientAddress(req, trustedHops) {
  if (!req.socket?.remoteAddress) return null;
  const address = proxyaddr(req, (_address, hop) => hop < trustedHops);
  return typeof address === 'string' && isIP(address) !== 0 ? address : null;
}

/**
 * "https" or "http": the socket's own scheme, or, behind trusted proxies, the left-most
 * X-Forwarded-Proto value (the scheme the client used with the outermost proxy; the same
 * rule as Express's `req.protocol`).
 *
 * @param {{ socket?: { encrypted?: boolean }, headers: Record<string, string | string[] | undefined> }} req
 * @param {number} trustedHops
 * @returns {'http' | 'https'}
 */
export function resolveProtocol(req, trustedHops) {
  const own = req.socket?.encrypted ? 'https' : 'http';
  if (trustedHops < 1) return own;
  const header = req.headers[CLIENT_PROTO_HEADER];
  const first = String(Array.isArray(header) ? header[0] : (header ?? ''))
    .split(',')[0]
    .trim()
    .toLowerCase();
  return first === 'https' || first === 'http' ? first : own;
}

/**
 * Overwrites the forwarding headers of `req` with what this server resolved. With no
 * trusted proxy, the other X-Forwarded-* headers are a client's claims too and go.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {number} trustedHops
 */
export function stampClientAddress(req, trustedHops) {
  const address = resolveClientAddress(req, trustedHops);
  const protocol = resolveProtocol(req, trustedHops);
  // Never absent: Next fills a missing X-Forwarded-For with the socket's peer, which
  // behind a proxy is the proxy, one address for every client.
  req.headers[CLIENT_ADDRESS_HEADER] = address ?? 'unknown';
  req.headers[CLIENT_PROTO_HEADER] = protocol;
  if (trustedHops < 1) {
    delete req.headers['x-forwarded-host'];
    delete req.headers['x-forwarded-port'];
    delete req.headers['forwarded'];
  }
}
