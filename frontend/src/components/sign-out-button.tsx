'use client';

import { signOutAction } from '@/app/actions';
import { forgetToken } from '@/lib/auth-client';
import { clearTaskDrafts } from '@/lib/task-queries/draft';

/**
 * A form, not a link: signing out changes state, and it works without JavaScript. With
 * JavaScript, the API token held in memory and the task drafts are forgotten at once.
 */
export function SignOutButton() {
  return (
    <form
      action={signOutAction}
      onSubmit={() => {
        forgetToken();
        clearTaskDrafts();
      }}
    >
      <button type="submit" className="button link">
        Sign out
      </button>
    </form>
  );
}
