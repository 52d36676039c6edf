/**
 * The one rule for which environment values may appear in a message (a start-up error, a log
 * line). Both apps and the scripts use it, so a variable hidden by one is hidden by all.
 */

/** Names whose value is a credential whatever it looks like. */
const SECRET_NAME = /(^|_)(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY)$/i;

/**
 * Connection strings: they usually carry a password, and a malformed one (the case an error
 * message is about) may carry it in a form a URL parser does not recognise.
 */
const CONNECTION_STRING_NAME = /(^|_)(DATABASE|REDIS|SMTP|AMQP|MONGODB|MYSQL|POSTGRES)_URL$/i;

/** `scheme://user:password@host`, or anything else with an `@` before the host. */
function holdsCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return true;
  } catch {
    /* not a URL: fall through to the plain check */
  }
  return value.includes('@');
}

/**
 * Whether the value of `name` must never be echoed: `*_SECRET`, `*_PASSWORD`, `*_TOKEN`,
 * `*_API_KEY`, `*_PRIVATE_KEY`; `DATABASE_URL`, `REDIS_URL`, `SMTP_URL` (and `*_DATABASE_URL`
 * etc.) always; any other `*_URL` when its value holds credentials (`user:pass@`).
 *
 * @example
 * isSecretVariable('BETTER_AUTH_SECRET', 'x'); // true
 * isSecretVariable('DATABASE_URL', 'mysql://db'); // true
 * isSecretVariable('AUTH_JWKS_URL', 'https://user:pw@keys.example.com'); // true
 * isSecretVariable('API_PORT', 'abc'); // false
 */
export function isSecretVariable(name: string, value = ''): boolean {
  if (SECRET_NAME.test(name) || CONNECTION_STRING_NAME.test(name)) return true;
  return /_URL$/i.test(name) && holdsCredentials(value);
}

/**
 * ` (got "value")` for a message about `name`, or an empty string when the value is unset,
 * blank or secret.
 *
 * @example
 * `API_PORT must be a port number${shownValue('API_PORT', 'abc')}`; // ... (got "abc")
 */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '' || isSecretVariable(name, value)) return '';
  return ` (got ${JSON.stringify(value)})`;
}
