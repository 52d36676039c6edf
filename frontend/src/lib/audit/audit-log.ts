import 'server-only';
import { createHmac } from 'node:crypto';

/**
 * The audit trail: one JSON line on stdout per account event, through this one function.
 * What a line holds is fixed by `AuditEvent`: never a password, token or cookie (nothing
 * here accepts one), an email only as a keyed hash (lines about one address can be matched,
 * the address cannot be read back or guessed from a word list without the app's secret).
 */

export type AuditEventName =
  | 'sign_in'
  | 'sign_up'
  | 'sign_out'
  | 'password_reset_requested'
  | 'password_reset_completed'
  | 'password_changed'
  | 'password_refused'
  | 'email_verified'
  | 'verification_email_requested'
  | 'session_revoked'
  | 'other_sessions_revoked'
  | 'account_deleted';

export interface AuditEvent {
  event: AuditEventName;
  /** 'refused': not let through at all (a sign-in during its failure back-off). */
  result: 'success' | 'failure' | 'refused';
  /**
   * Why it failed: an error code (INVALID_EMAIL_OR_PASSWORD, PASSWORD_TOO_COMMON...); why it
   * was refused: 'backoff' or 'under_attack' (lib/rate-limit/failures.ts).
   */
  reason?: string;
  userId?: string;
  /** Hashed before it is written (see `emailHash`). */
  email?: string;
  /** The client's address as `clientAddress()` decided it, or null. */
  ip: string | null;
  userAgent: string | null;
}

let hashKey: string | undefined;

/** Called once with BETTER_AUTH_SECRET (better-auth.ts); the key of the email hashes. */
export function setAuditHashKey(secret: string): void {
  hashKey = createHmac('sha256', secret).update('authbridge audit email').digest('hex');
}

/** HMAC-SHA-256 of the normalised address, 16 bytes hex: the same address, the same hash. */
export function emailHash(email: string): string {
  if (!hashKey) throw new Error('setAuditHashKey() was not called');
  return createHmac('sha256', hashKey)
    .update(email.trim().toLowerCase())
    .digest('hex')
    .slice(0, 32);
}

/** Where lines go; tests replace it. */
let sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

export function setAuditSink(next: (line: string) => void): void {
  sink = next;
}

/**
 * Writes one audit line.
 *
 * @example
 * audit({ event: 'sign_in', result: 'failure', reason: 'INVALID_EMAIL_OR_PASSWORD',
 *   email, ip: clientAddress(headers), userAgent: headers.get('user-agent') });
 */
export function audit(entry: AuditEvent): void {
  const { email, userAgent, ...rest } = entry;
  const line = {
    time: new Date().toISOString(),
    level: entry.result === 'success' ? 'info' : 'warn',
    type: 'audit',
    ...rest,
    // Without the key (a unit test's bare instance) the address is left out, never written.
    ...(email && hashKey ? { emailHash: emailHash(email) } : {}),
    // Bounded: a client chooses its User-Agent.
    userAgent: userAgent ? userAgent.slice(0, 256) : null,
  };
  sink(JSON.stringify(line));
}
