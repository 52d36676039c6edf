'use client';

import { useActionState, type ReactNode } from 'react';
import type { ActionFormState } from '@/lib/auth/action-state';
import './account.css';

export interface ActionField {
  name: string;
  label: string;
  type: 'text' | 'email' | 'password' | 'checkbox';
  autoComplete?: string;
  required?: boolean;
  hint?: string;
  maxLength?: number;
  minLength?: number;
  defaultValue?: string;
}

interface ActionFormProps {
  action: (state: ActionFormState, form: FormData) => Promise<ActionFormState>;
  fields: ActionField[];
  submitLabel: string;
  pendingLabel: string;
  /** Hidden inputs (e.g. the reset token). */
  hidden?: Record<string, string>;
  /** Distinguishes several forms on one page (ids, test hooks). */
  id: string;
  danger?: boolean;
  /** Words added to the button for screen readers only ("Sign out this one: Chrome on Linux"). */
  submitContext?: string;
  /** `secondary` for a quiet button. */
  variant?: 'primary' | 'secondary' | 'danger';
  children?: ReactNode;
}

/**
 * One form of the account-lifecycle pages, in the pattern of `auth-form.tsx`: it posts to a
 * server action (works without JavaScript), the form-level message is an alert (or a status
 * when it worked), and each field's error is tied to its input by `aria-describedby`.
 */
export function ActionForm({
  action,
  fields,
  submitLabel,
  pendingLabel,
  hidden,
  id,
  danger,
  submitContext,
  variant,
  children,
}: ActionFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="form" id={id} data-form={id}>
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {state.error ? (
        <p className="alert" role="alert" id={`${id}-error`}>
          {state.error}
        </p>
      ) : null}
      {state.notice ? (
        <p className="notice" role="status" id={`${id}-notice`}>
          {state.notice}
        </p>
      ) : null}
      {children}
      {fields.map((field) => {
        const inputId = `${id}-${field.name}`;
        const error = errors[field.name];
        const describedBy =
          [field.hint ? `${inputId}-hint` : '', error ? `${inputId}-field-error` : '']
            .filter(Boolean)
            .join(' ') || undefined;
        if (field.type === 'checkbox') {
          return (
            <div className="field checkbox" key={field.name}>
              <input
                id={inputId}
                name={field.name}
                type="checkbox"
                value="on"
                defaultChecked={field.defaultValue === 'on'}
                aria-describedby={describedBy}
              />
              <label htmlFor={inputId}>{field.label}</label>
            </div>
          );
        }
        return (
          <div className="field" key={field.name}>
            <label htmlFor={inputId}>{field.label}</label>
            <input
              id={inputId}
              name={field.name}
              type={field.type}
              autoComplete={field.autoComplete}
              required={field.required}
              maxLength={field.maxLength}
              minLength={field.minLength}
              defaultValue={
                field.type === 'password'
                  ? undefined
                  : (state.values?.[field.name] ?? field.defaultValue)
              }
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy}
            />
            {field.hint ? (
              <p className="hint" id={`${inputId}-hint`}>
                {field.hint}
              </p>
            ) : null}
            {error ? (
              <p className="field-error" id={`${inputId}-field-error`}>
                {error}
              </p>
            ) : null}
          </div>
        );
      })}
      <button
        type="submit"
        className={`button ${variant ?? (danger ? 'danger' : 'primary')}`}
        disabled={pending}
        aria-busy={pending}
      >
        {pending ? pendingLabel : submitLabel}
        {submitContext ? <span className="visually-hidden">: {submitContext}</span> : null}
      </button>
    </form>
  );
}
