'use client';

import Link from 'next/link';
import {
  startTransition,
  useActionState,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
} from 'react';
import type { AuthField, AuthFormState } from '@/lib/auth/form-state';
import { AUTH_MESSAGES, formatWait } from '@/lib/auth/messages';
import { authPageUrl } from '@/lib/auth-page-url';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@/lib/auth/password-rules';

interface AuthFormProps {
  mode: 'sign-in' | 'sign-up';
  action: (state: AuthFormState, form: FormData) => Promise<AuthFormState>;
  returnUrl: string;
  /** A message to show before any submit (e.g. why a social sign-in came back). */
  notice?: string;
  /** With a rate-limit notice: the seconds to wait, counted down on the button. */
  noticeRetryAfter?: number;
}

/** The order the fields appear in: the first one in error gets the focus. */
const FIELD_ORDER: AuthField[] = ['name', 'email', 'password'];

/** True once hydrated: controls that only work with JavaScript render only then. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    () => () => undefined,
    () => true,
    () => false,
  );
}

/**
 * The email and password form of both pages. It posts to a server action, so it works as
 * a plain HTML form before (or without) JavaScript. With JavaScript the submit is sent
 * without React's form reset, so a refused attempt keeps what was typed, password
 * included; the focus goes to the first field in error (or the form's message), and the
 * message is announced through the `role="alert"` region.
 */
export function AuthForm({ mode, action, returnUrl, notice, noticeRetryAfter }: AuthFormProps) {
  const [state, formAction, pending] = useActionState(
    action,
    notice ? { error: notice, retryAfter: noticeRetryAfter } : {},
  );
  const waitLeft = useCountdown(state.retryAfter, state);
  const [attempt, setAttempt] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const signUp = mode === 'sign-up';
  const errors = state.fieldErrors ?? {};
  const firstError = FIELD_ORDER.find((field) => errors[field]);
  const waiting = waitLeft !== undefined && waitLeft > 0;

  // After each answer to a submit (not on the first render): the focus to what went wrong.
  useEffect(() => {
    if (attempt === 0 || pending) return;
    const target = firstError
      ? form.current?.querySelector<HTMLElement>(`#${firstError}`)
      : form.current?.querySelector<HTMLElement>('#form-error');
    target?.focus();
    // Only when a new answer arrived: `state` is a new object per answer.
  }, [state]);

  function submit(event: FormEvent<HTMLFormElement>) {
    // Dispatched by hand: React resets a form after its `action` ran, which would wipe the
    // password the user still wants to correct.
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setAttempt((n) => n + 1);
    startTransition(() => formAction(data));
  }

  // What the region says: the form's message, or a summary of the fields in error.
  const fieldMessages = FIELD_ORDER.flatMap((field) => (errors[field] ? [errors[field]] : []));
  const summary = state.error
    ? state.error
    : fieldMessages.length
      ? `Please check the form: ${fieldMessages.join(' ')}`
      : '';

  return (
    <form ref={form} action={formAction} onSubmit={submit} className="form">
      <input type="hidden" name="returnUrl" value={returnUrl} />
      {/* Always in the page, so what is put into it is announced. A new node per answer
          (`key`), so the same message twice is announced twice. */}
      <div className="form-status" role="alert" aria-atomic="true">
        {state.error ? (
          // Once a wait has run out, the words are good news: a notice, not an error.
          <p
            className={state.retryAfter !== undefined && waitLeft === 0 ? 'notice' : 'alert'}
            id="form-error"
            tabIndex={-1}
            key={attempt}
          >
            {state.retryAfter === undefined || waitLeft === undefined
              ? state.error
              : waitLeft > 0
                ? AUTH_MESSAGES.tooManyAttempts(waitLeft)
                : AUTH_MESSAGES.tryAgainNow}
          </p>
        ) : summary ? (
          <p className="visually-hidden" key={attempt}>
            {summary}
          </p>
        ) : null}
      </div>

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
        errorAction={
          state.signInInstead ? (
            <Link href={authPageUrl('/sign-in', { returnUrl })}>Sign in instead</Link>
          ) : null
        }
        type="email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
      />

      <PasswordField
        error={errors.password}
        hint={signUp ? `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.` : undefined}
        autoComplete={signUp ? 'new-password' : 'current-password'}
        // Without JavaScript the page came back from the server with an empty password.
        retypeNote={state.values ? AUTH_MESSAGES.passwordNotKept : undefined}
      />

      <button
        type="submit"
        className="button primary"
        disabled={pending || waiting}
        aria-busy={pending}
      >
        {waiting
          ? `Wait ${formatWait(waitLeft ?? 0)}`
          : pending
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

/**
 * Whole seconds left of `seconds`, counting down once a second from each new `answer`;
 * undefined with nothing to wait for, and before JavaScript runs (the server's message
 * then stands as it is).
 */
function useCountdown(seconds: number | undefined, answer: unknown): number | undefined {
  const [left, setLeft] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (seconds === undefined) {
      setLeft(undefined);
      return;
    }
    let now = Math.max(0, Math.ceil(seconds));
    setLeft(now);
    const timer = setInterval(() => {
      now -= 1;
      setLeft(Math.max(0, now));
      if (now <= 0) clearInterval(timer);
    }, 1_000);
    return () => clearInterval(timer);
  }, [seconds, answer]);
  return left;
}

interface PasswordFieldProps {
  error?: string;
  hint?: string;
  autoComplete: string;
  /** Shown only without JavaScript (`<noscript>`): why the field is empty again. */
  retypeNote?: string;
}

/**
 * The password input with a "Show password" toggle (a button with `aria-pressed`, only
 * once JavaScript runs, since it does nothing without it).
 */
export function PasswordField({ error, hint, autoComplete, retypeNote }: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  const hydrated = useHydrated();
  return (
    <FormField
      name="password"
      label="Password"
      error={error}
      hint={hint}
      type={shown ? 'text' : 'password'}
      autoComplete={autoComplete}
      required
      after={
        <>
          {hydrated ? (
            <button
              type="button"
              className="button quiet small reveal"
              aria-pressed={shown}
              aria-controls="password"
              onClick={() => setShown((value) => !value)}
            >
              Show password
            </button>
          ) : null}
          {retypeNote ? (
            <noscript>
              <p className="hint" id="password-retype">
                {retypeNote}
              </p>
            </noscript>
          ) : null}
        </>
      }
    />
  );
}

interface FormFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: AuthField;
  label: string;
  /** The server's message for this field, tied to the input for screen readers. */
  error?: string;
  /** A link or button shown after the error (e.g. "Sign in instead"). */
  errorAction?: ReactNode;
  hint?: string;
  /** Rendered after the input (a toggle, a note). */
  after?: ReactNode;
}

/** One labelled input with its hint and its error, `aria-describedby` pointing at both. */
export function FormField({
  name,
  label,
  error,
  errorAction,
  hint,
  after,
  ...input
}: FormFieldProps) {
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
      {after}
      {hint ? (
        <p className="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${name}-error`}>
          {error}
          {errorAction ? <> {errorAction}</> : null}
        </p>
      ) : null}
    </div>
  );
}
