import 'server-only';
import { createServerApiClient } from '@authbridge/web-auth/server';
import { getAuth, jwtPayload } from './auth';
import { serverEnv } from './env';
import { tasksApi, type TaskPage } from './tasks';

/**
 * The first page of a signed-in user's tasks, fetched while the dashboard renders on the
 * server: the page reads without JavaScript, and the board starts without a fetch.
 *
 * The token is signed for the user the page already has (`auth.api.signJWT`, the JWT
 * plugin's server-only endpoint, same claims as `/api/auth/token`) rather than through
 * `auth.api.getToken`, which would look the session up a second time in this render. It
 * carries the session's id (`sid`), as every token of this app does: the API refuses tokens
 * without one while revocation is on, and refuses this one as soon as the session ends.
 * Any failure (API down, slow) gives `undefined`: the board then loads the list itself.
 *
 * @example
 * const firstPage = await firstTaskPage(user, session);
 * return <TaskBoard apiUrl={apiUrl} userId={user.id} firstPage={firstPage} />;
 */
export async function firstTaskPage(
  user: { id: string; email: string; name: string; role?: unknown },
  session: { id: string },
): Promise<TaskPage | undefined> {
  const api = createServerApiClient({
    baseURL: serverEnv().apiUrl,
    getToken: async () => {
      const payload = {
        iat: Math.floor(Date.now() / 1000),
        ...jwtPayload(user, session),
        sub: user.id,
      };
      return (await getAuth().api.signJWT({ body: { payload } })).token;
    },
    axiosConfig: { timeout: 5_000 },
  });
  try {
    return await tasksApi(api, user.id).list();
  } catch (error) {
    console.warn('[dashboard] first page of tasks not fetched on the server:', String(error));
    return undefined;
  }
}
