import type { ActionFormState } from '@/lib/auth/action-state';
import { ActionForm } from './action-form';
import { EMAIL_FIELD } from './fields';

interface EmailLinkFormProps {
  id: string;
  action: (state: ActionFormState, form: FormData) => Promise<ActionFormState>;
  submitLabel: string;
}

/**
 * A "mail me a link" form (forgot password, resend verification): the email field and a
 * button. Its server action runs `lib/auth/email-link-request.ts`.
 */
export function EmailLinkForm({ id, action, submitLabel }: EmailLinkFormProps) {
  return (
    <ActionForm
      id={id}
      action={action}
      fields={[EMAIL_FIELD]}
      submitLabel={submitLabel}
      pendingLabel="Sending…"
    />
  );
}
