import 'server-only';
import { dictionary } from '@zxcvbn-ts/language-common';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PROBLEM_MESSAGES,
  type PasswordProblem,
} from './password-rules';

/**
 * The one check of a new password, run on every path that sets one (the Better Auth
 * plugin in `password-policy-plugin.ts` for /api/auth/* and auth.api.*, and the forms'
 * schemas before they call it). Offline: the list is the ~49,000 most common passwords of
 * breach corpora that @zxcvbn-ts/language-common ships (MIT).
 */

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'] as string[]);
  return common;
}

/** The forms of a password an attacker's list would also try: case, and a suffix or prefix of digits and symbols ("Password1!"). */
function variants(password: string): string[] {
  const lower = password.toLowerCase();
  const collapsed = lower.replace(/\s+/g, '');
  const stripped = collapsed.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  return [lower, collapsed, stripped].filter((v, i, all) => v.length >= 4 && all.indexOf(v) === i);
}

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

function isRepetitive(password: string): boolean {
  const lower = password.toLowerCase();
  if (new Set(lower).size <= 2) return true;
  const reversed = (s: string) => [...s].reverse().join('');
  return SEQUENCES.some((seq) => {
    // The whole password is a run (or its repeats) of one sequence, either way round.
    for (const s of [seq, reversed(seq)]) {
      for (let start = 0; start < s.length; start++) {
        const run = (s.slice(start) + s).repeat(Math.ceil(lower.length / s.length) + 1);
        if (run.startsWith(lower)) return true;
      }
    }
    return false;
  });
}

/** Context the user gave: a password equal to it is the first thing an attacker tries. */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
}

/**
 * Why `password` may not be used, or undefined when it may.
 *
 * @example
 * passwordProblem('password123'); // 'common'
 * passwordProblem('correct horse battery'); // undefined
 */
export function passwordProblem(
  password: string,
  context: PasswordContext = {},
): PasswordProblem | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'too_long';
  if (isRepetitive(password)) return 'repetitive';
  const list = commonPasswords();
  if (variants(password).some((v) => list.has(v))) return 'common';
  const lower = password.toLowerCase().trim();
  const email = context.email?.toLowerCase().trim();
  const personal = [email, email?.split('@')[0], context.name?.toLowerCase().trim()].filter(
    (v): v is string => !!v && v.length >= 4,
  );
  if (personal.some((p) => lower === p || lower.replace(/\s+/g, '') === p.replace(/\s+/g, '')))
    return 'personal';
  return undefined;
}

/** The message for a refused password, or undefined when it may be used. */
export function passwordProblemMessage(
  password: string,
  context?: PasswordContext,
): string | undefined {
  const problem = passwordProblem(password, context);
  return problem ? PASSWORD_PROBLEM_MESSAGES[problem] : undefined;
}
