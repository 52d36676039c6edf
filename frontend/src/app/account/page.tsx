// /account: the signed-in user's name, password, active sessions and account deletion.
// Every change goes through Better Auth's own endpoints (lib/account/account.ts).
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { AccountSection } from '@/components/account/account-section';
import { ActionForm } from '@/components/account/action-form';
import { currentPasswordField, NEW_PASSWORD_FIELD } from '@/components/account/fields';
import { ACCOUNT_MESSAGES, listActiveSessions } from '@/lib/account/account';
import { requireSession } from '@/lib/session';
import {
  changePasswordAction,
  deleteAccountAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
  updateNameAction,
} from './actions';

export const metadata: Metadata = { title: 'Your account · authbridge' };

const lastSeenFormat = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

const NOTICES: Record<string, string> = {
  password_changed: ACCOUNT_MESSAGES.passwordChanged,
  password_changed_others: ACCOUNT_MESSAGES.passwordChangedOthersEnded,
};

export default async function AccountPage({ searchParams }: PageProps<'/account'>) {
  const { notice } = await searchParams;
  const { user, session } = await requireSession('/account');
  // Codes only, never text from the URL.
  const status = typeof notice === 'string' ? NOTICES[notice] : undefined;
  const sessions = await listActiveSessions(await headers(), session.id);

  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p className="muted">Signed in as {user.email}</p>
      {status ? (
        <p className="notice" role="status" id="account-notice">
          {status}
        </p>
      ) : null}

      <AccountSection id="name" title="Name">
        <ActionForm
          id="name"
          action={updateNameAction}
          fields={[
            {
              name: 'name',
              label: 'Name',
              type: 'text',
              autoComplete: 'name',
              required: true,
              maxLength: 100,
              defaultValue: user.name,
            },
          ]}
          submitLabel="Save name"
          pendingLabel="Saving…"
        />
      </AccountSection>

      <AccountSection id="password" title="Password">
        <ActionForm
          id="password"
          action={changePasswordAction}
          fields={[
            currentPasswordField('currentPassword', 'Current password'),
            NEW_PASSWORD_FIELD,
            {
              name: 'revokeOtherSessions',
              label: 'Sign out every other session',
              type: 'checkbox',
              defaultValue: 'on',
            },
          ]}
          submitLabel="Change password"
          pendingLabel="Changing…"
        />
      </AccountSection>

      <AccountSection id="sessions" title="Active sessions">
        <p className="muted">
          {sessions.length === 1
            ? 'Only this browser is signed in.'
            : `${sessions.length} sessions are signed in.`}
        </p>
        <ul className="sessions" aria-label="Active sessions">
          {sessions.map((s) => (
            <li key={s.id} data-session={s.current ? 'current' : 'other'}>
              <div>
                <strong>{s.device}</strong>
                {s.current ? ' (this browser)' : null}
                <br />
                <span className="muted">
                  {s.ipAddress ?? 'address unknown'} · last seen{' '}
                  <time dateTime={s.lastSeen.toISOString()}>
                    {lastSeenFormat.format(s.lastSeen)} UTC
                  </time>
                </span>
              </div>
              {s.current ? null : (
                <ActionForm
                  id={`session-${s.id}`}
                  action={revokeSessionAction}
                  hidden={{ sessionId: s.id }}
                  fields={[]}
                  submitLabel="Sign out this one"
                  submitContext={`${s.device}, ${s.ipAddress ?? 'address unknown'}`}
                  pendingLabel="Signing out…"
                  variant="secondary"
                />
              )}
            </li>
          ))}
        </ul>
        {/* Always there, so its message stays once the other sessions are gone. */}
        <ActionForm
          id="others"
          action={revokeOtherSessionsAction}
          fields={[]}
          submitLabel="Sign out everywhere else"
          pendingLabel="Signing out…"
          variant="secondary"
        />
      </AccountSection>

      <AccountSection id="delete" title="Delete account">
        <p className="muted">
          This deletes your account and all your tasks, at once and for good. Enter your password to
          confirm.
        </p>
        <ActionForm
          id="delete"
          action={deleteAccountAction}
          fields={[currentPasswordField('password', 'Password')]}
          submitLabel="Delete my account"
          pendingLabel="Deleting…"
          danger
        />
      </AccountSection>
    </section>
  );
}
