import 'server-only';
import { isIP } from 'node:net';
import { getIP } from 'better-auth/api';
import { CLIENT_ADDRESS_HEADER, isClientAddressStamped } from '../../server/client-address.mjs';

let warned = false;

/**
 * The address of the client that sent this request, as the key the rate limiter counts
 * under (Better Auth's normalised form: IPv4, or the IPv6 /64), or null when none is
 * known. The one place the app decides who a request comes from: the sign-in limiter of
 * the HTTP path (`app/api/auth/[...all]/route.ts`) and of the server actions
 * (`lib/auth/attempt-limit.ts`) both ask here, and so should anything that counts per client.
 *
 * The address is the one our web server (server/web-server.mjs) resolved from the socket
 * and TRUST_PROXY_HOPS and wrote into X-Forwarded-For, overwriting what the client sent.
 * Without that server in this process (plain `next start`, another host) the header is
 * whatever the client claims, so it is not believed: null.
 *
 * Callers must not put all unknown clients in one bucket (one attacker would lock out
 * everyone); the sign-in paths refuse the attempt instead.
 *
 * @example
 * const address = clientAddress(await headers());
 * if (address === null) return refuse();
 * await store.consume(`${address}|/sign-in/email`, rule);
 */
export function clientAddress(requestHeaders: Headers): string | null {
  if (!isClientAddressStamped()) {
    if (!warned) {
      warned = true;
      console.error(
        '[auth] client address unknown: the app is not running behind server/web-server.mjs ' +
          '(start it with `npm start -w frontend`), so sign-in and sign-up are refused',
      );
    }
    return null;
  }
  const stamped = requestHeaders.get(CLIENT_ADDRESS_HEADER);
  if (!stamped || isIP(stamped) === 0) return null;
  // The same normalisation Better Auth's own limiter applies to this header, so both
  // paths build the same key.
  return getIP(new Headers({ [CLIENT_ADDRESS_HEADER]: stamped }), {});
}
