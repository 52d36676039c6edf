'use client';

import Link from 'next/link';
import { useActionState, type InputHTMLAttributes } from 'react';
import type { AuthField, AuthFormState } from '@/lib/auth/form-state';
import { authPageUrl } from '@/lib/auth-page-url';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/password-rules';

interface AuthFormProps {
  mode: 'sign-in' | 'sign-up';
  action: (state: AuthFormState, form: FormData) => Promise<AuthFormState>;
  returnUrl: string;
  /** A message to show before any submit (e.g. why a social sign-in came back). */
  notice?: string;
}

/**
 * The email and password form of both pages. It posts to a server action, so it works as
 * a plain HTML form before (or without) JavaScript; with it, errors appear in place.
 */
export function AuthForm({ mode, action, returnUrl, notice }: AuthFormProps) {
  const [state, formAction, pending] = useActionState(action, notice ? { error: notice } : {});
  const signUp = mode === 'sign-up';
  const errors = state.fieldErrors ?? {};

  return (
    <form action={formAction} className="form">
      <input type="hidden" name="returnUrl" value={returnUrl} />
      {state.error ? (
        <p className="alert" role="alert" id="form-error">
          {state.error}
        </p>
      ) : null}

      {signUp ? (
        <FormField
          name="name"
          label="Name"
          error={errors.name}
          type="text"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={state.values?.name}
        />
      ) : null}

      <FormField
        name="email"
        label="Email"
        error={errors.email}
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
      />

      <FormField
        name="password"
        label="Password"
        error={errors.password}
        hint={signUp ? `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.` : undefined}
        type="password"
        autoComplete={signUp ? 'new-password' : 'current-password'}
        required
      />

      <button type="submit" className="button primary" disabled={pending} aria-busy={pending}>
        {pending
          ? signUp
            ? 'Creating your account…'
            : 'Signing in…'
          : signUp
            ? 'Create account'
            : 'Sign in'}
      </button>

      <p className="switch">
        {signUp ? 'Already have an account? ' : 'New here? '}
        <Link href={authPageUrl(signUp ? '/sign-in' : '/sign-up', { returnUrl })}>
          {signUp ? 'Sign in' : 'Create an account'}
        </Link>
      </p>
    </form>
  );
}

interface FormFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: AuthField;
  label: string;
  /** The server's message for this field, tied to the input for screen readers. */
  error?: string;
  hint?: string;
}

/** One labelled input with its hint and its error, `aria-describedby` pointing at both. */
function FormField({ name, label, error, hint, ...input }: FormFieldProps) {
  const describedBy =
    [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint ? (
        <p className="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
