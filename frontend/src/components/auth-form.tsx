'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import type { AuthFormState } from '@/lib/auth-attempts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/password-rules';

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
  const describedBy = (field: string, hint?: boolean) =>
    [hint ? `${field}-hint` : '', errors[field as keyof typeof errors] ? `${field}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <form action={formAction} className="form">
      <input type="hidden" name="returnUrl" value={returnUrl} />
      {state.error ? (
        <p className="alert" role="alert" id="form-error">
          {state.error}
        </p>
      ) : null}

      {signUp ? (
        <div className="field">
          <label htmlFor="name">Name</label>
          <input
            id="name"
            name="name"
            type="text"
            autoComplete="name"
            required
            maxLength={100}
            defaultValue={state.values?.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={describedBy('name')}
          />
          {errors.name ? (
            <p className="field-error" id="name-error">
              {errors.name}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.values?.email}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy('email')}
        />
        {errors.email ? (
          <p className="field-error" id="email-error">
            {errors.email}
          </p>
        ) : null}
      </div>

      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={signUp ? 'new-password' : 'current-password'}
          required
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy('password', signUp)}
        />
        {signUp ? (
          <p className="hint" id="password-hint">
            {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters.
          </p>
        ) : null}
        {errors.password ? (
          <p className="field-error" id="password-error">
            {errors.password}
          </p>
        ) : null}
      </div>

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
        <Link
          href={`${signUp ? '/sign-in' : '/sign-up'}?returnUrl=${encodeURIComponent(returnUrl)}`}
        >
          {signUp ? 'Sign in' : 'Create an account'}
        </Link>
      </p>
    </form>
  );
}
