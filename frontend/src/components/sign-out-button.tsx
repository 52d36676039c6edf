'use client';

import { signOutAction } from '@/app/actions';
import { forgetToken } from '@/lib/auth-client';

/**
 * A form, not a link: signing out changes state, and it works without JavaScript. With
 * JavaScript, the API token held in memory is forgotten at once.
 */
export function SignOutButton() {
  return (
    <form action={signOutAction} onSubmit={forgetToken}>
      <button type="submit" className="button link">
        Sign out
      </button>
    </form>
  );
}
