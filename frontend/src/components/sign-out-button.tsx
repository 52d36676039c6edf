import { signOutAction } from '@/app/actions';

/** A form, not a link: signing out changes state, and it works without JavaScript. */
export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <button type="submit" className="button link">
        Sign out
      </button>
    </form>
  );
}
