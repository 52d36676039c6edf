// /api/auth/*: Better Auth's own HTTP API (sign-in, sign-up, session, /token, /jwks...).
import { toNextJsHandler } from 'better-auth/next-js';
import { getAuth } from '@/lib/auth';
import { clientAddress } from '@/lib/client-address';

/**
 * Better Auth's handler, with two rules of ours around it:
 * - a request from an unknown address is refused: Better Auth's limiter would count every
 *   such request in ONE shared bucket, so one attacker could use up everyone's sign-ins;
 * - nothing under /api/auth is cached anywhere: these responses carry tokens, sessions and
 *   Set-Cookie (Better Auth marks only some of them no-store).
 */
async function handle(request: Request): Promise<Response> {
  const response =
    clientAddress(request.headers) === null
      ? Response.json(
          {
            code: 'CLIENT_ADDRESS_UNKNOWN',
            message: 'The server could not tell which client sent this request.',
          },
          { status: 403 },
        )
      : // Resolved per request so `next build` never needs the runtime secrets.
        await getAuth().handler(request);
  response.headers.set('cache-control', 'no-store');
  return response;
}

export const { GET, POST, PATCH, PUT, DELETE } = toNextJsHandler(handle);
