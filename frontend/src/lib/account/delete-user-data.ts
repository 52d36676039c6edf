import 'server-only';
import { APIError } from 'better-auth/api';
import type { ServerEnv } from '../env';

/** How long the token that asks the API to delete a user's data lives. */
const DELETE_TOKEN_SECONDS = 60;

/**
 * Better Auth's `user.deleteUser.beforeDelete`: the API deletes the user's data first
 * (`DELETE /api/users/:userId`, all in one transaction), with a token of this user signed by
 * our own JWT plugin, so the API trusts it like any other. Runs after Better Auth checked
 * the password; if the API refuses or is down, the user is NOT deleted (the error aborts
 * Better Auth's deletion) and can try again: no account without data, no data left behind
 * an account that is gone.
 */
export async function deleteUserDataInApi(
  env: ServerEnv,
  user: { id: string; email: string; name: string },
): Promise<void> {
  // Lazily: better-auth.ts builds the instance that calls this hook.
  const { getAuth, jwtPayload } = await import('../auth/better-auth');
  const now = Math.floor(Date.now() / 1000);
  // The API requires a session id (`sid`) while revocation is on. This token belongs to no
  // session (the hook may run without one), so it carries a one-off id that nothing revokes,
  // and lives a minute.
  const oneOff = { id: `account-deletion-${crypto.randomUUID()}` };
  const { token } = await getAuth().api.signJWT({
    body: {
      payload: {
        ...jwtPayload(user, oneOff),
        sub: user.id,
        iat: now,
        exp: now + DELETE_TOKEN_SECONDS,
      },
    },
  });
  let response: Response;
  try {
    response = await fetch(`${env.apiUrl}/api/users/${encodeURIComponent(user.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    console.error(
      `[account] the API could not be reached to delete a user's data: ${error instanceof Error ? error.message : error}`,
    );
    throw new APIError('SERVICE_UNAVAILABLE', {
      code: 'USER_DATA_NOT_DELETED',
      message:
        'Your data could not be deleted right now, so your account was kept. Try again later.',
    });
  }
  if (!response.ok) {
    console.error(`[account] the API refused to delete a user's data: ${response.status}`);
    throw new APIError('SERVICE_UNAVAILABLE', {
      code: 'USER_DATA_NOT_DELETED',
      message:
        'Your data could not be deleted right now, so your account was kept. Try again later.',
    });
  }
}
