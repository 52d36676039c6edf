import 'server-only';
import { getAuth } from './better-auth';

/**
 * Ends the session of this request (Better Auth deletes it and clears the cookie). The
 * browser forgets its in-memory API token on the same click (components/sign-out-button).
 */
export async function signOut(requestHeaders: Headers): Promise<void> {
  await getAuth().api.signOut({ headers: requestHeaders });
}
