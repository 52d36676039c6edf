import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { setAuditSink } from '../audit/audit-log';
import { passwordProblem } from './password-policy';
import { PASSWORD_ERROR_CODES, passwordPolicy } from './password-policy-plugin';
import { PASSWORD_PROBLEM_MESSAGES } from './password-rules';

describe('passwordProblem (NIST SP 800-63B)', () => {
  it.each([
    ['password', 'common'],
    ['password123', 'common'],
    ['Password1!', 'common'],
    ['iloveyou', 'common'],
    ['P@ssw0rd', 'common'],
    ['12345678', 'repetitive'],
    ['87654321', 'repetitive'],
    ['aaaaaaaaaa', 'repetitive'],
    ['qwertyuiop', 'repetitive'],
    ['short', 'too_short'],
    ['x'.repeat(60) + 'y'.repeat(60) + 'z'.repeat(9), 'too_long'],
  ])('refuses %j as %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it.each(['correct horse', 'a long enough password', 'tulip-ferry-orbit', 'Ümlaut ünd ß 2026'])(
    'accepts %j: no composition rules',
    (password) => {
      expect(passwordProblem(password)).toBeUndefined();
    },
  );

  it('refuses the user own email or name', () => {
    const context = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };
    expect(passwordProblem('ada.lovelace@example.com', context)).toBe('personal');
    expect(passwordProblem('Ada.Lovelace', context)).toBe('personal');
    expect(passwordProblem('ADA LOVELACE', context)).toBe('personal');
    expect(passwordProblem('analytical engine', context)).toBeUndefined();
  });

  it('every refusal has a message that says why', () => {
    expect(PASSWORD_PROBLEM_MESSAGES.common).toMatch(/common or breached/);
  });
});

describe('passwordPolicy plugin', () => {
  const auditLines: string[] = [];
  setAuditSink((line) => auditLines.push(line));
  // A real Better Auth instance (memory adapter): the plugin's hook runs on auth.api.* calls,
  // the path the server actions take; test/auth.test.ts covers /api/auth/* over HTTP.
  const auth = betterAuth({
    secret: 'a-test-secret-that-is-long-enough-0123456789',
    baseURL: 'http://localhost:3000',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    plugins: [passwordPolicy()],
    logger: { disabled: true },
  });

  it('refuses a common password on sign-up with its code and message, and creates no user', async () => {
    const error = await auth.api
      .signUpEmail({ body: { email: 'ada@example.com', password: 'password123', name: 'Ada' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 400,
      body: {
        code: PASSWORD_ERROR_CODES.common,
        message: PASSWORD_PROBLEM_MESSAGES.common,
      },
    });
    expect(auditLines.at(-1)).toMatch(/"event":"password_refused".*"reason":"PASSWORD_TOO_COMMON"/);
    expect(auditLines.at(-1)).not.toContain('password123');
    const ctx = await auth.$context;
    expect(await ctx.internalAdapter.findUserByEmail('ada@example.com')).toBeNull();
  });

  it('lets a good password through, and refuses a common one on change-password', async () => {
    const { headers, response } = await auth.api.signUpEmail({
      body: { email: 'grace@example.com', password: 'correct horse', name: 'Grace' },
      returnHeaders: true,
    });
    expect(response.user.email).toBe('grace@example.com');
    const cookie = headers.get('set-cookie')!.split(';')[0];
    const error = await auth.api
      .changePassword({
        body: { currentPassword: 'correct horse', newPassword: 'qwerty123' },
        headers: new Headers({ cookie }),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, body: { code: PASSWORD_ERROR_CODES.common } });
  });

  it('refuses a common password on reset-password before looking at the token', async () => {
    const error = await auth.api
      .resetPassword({ body: { newPassword: 'iloveyou', token: 'whatever' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, body: { code: PASSWORD_ERROR_CODES.common } });
  });
});
