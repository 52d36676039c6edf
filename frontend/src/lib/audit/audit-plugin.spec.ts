import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { passwordPolicy } from '../auth/password-policy-plugin';
import { setAuditHashKey, setAuditSink, emailHash } from './audit-log';
import { auditTrail } from './audit-plugin';

// A real Better Auth instance (memory adapter) with the audit plugin; the lines go to an
// array instead of stdout. test/account.test.ts checks the same over HTTP, in the app's output.
describe('audit trail plugin', () => {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  setAuditHashKey('a-test-secret-that-is-long-enough-0123456789');
  setAuditSink((line) => {
    raw.push(line);
    lines.push(JSON.parse(line));
  });
  const auth = betterAuth({
    secret: 'a-test-secret-that-is-long-enough-0123456789',
    baseURL: 'http://localhost:3000',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    user: { deleteUser: { enabled: true } },
    plugins: [passwordPolicy(), auditTrail()],
    logger: { disabled: true },
  });
  const ua = { 'user-agent': 'JestBrowser/1.0' };

  it('logs sign-up, a failed and a good sign-in, a refused password, session revocation and deletion, without secrets', async () => {
    const email = 'ada@example.com';
    const password = 'correct horse battery';
    const { headers: signUpHeaders, response } = await auth.api.signUpEmail({
      body: { email, password, name: 'Ada' },
      headers: new Headers(ua),
      returnHeaders: true,
    });
    const userId = response.user.id;
    const cookie = signUpHeaders.get('set-cookie')!.split(';')[0]!;
    await auth.api
      .signInEmail({ body: { email, password: 'wrong password here' }, headers: new Headers(ua) })
      .catch(() => undefined);
    await auth.api.signInEmail({ body: { email, password }, headers: new Headers(ua) });
    await auth.api
      .changePassword({
        body: { currentPassword: password, newPassword: 'password123' },
        headers: new Headers({ ...ua, cookie }),
      })
      .catch(() => undefined);
    await auth.api.revokeOtherSessions({ headers: new Headers({ ...ua, cookie }) });
    await auth.api.deleteUser({ body: { password }, headers: new Headers({ ...ua, cookie }) });

    const summary = lines.map((l) => [l.event, l.result, l.reason ?? null, l.userId ?? null]);
    expect(summary).toEqual([
      ['sign_up', 'success', null, userId],
      ['sign_in', 'failure', 'INVALID_EMAIL_OR_PASSWORD', null],
      ['sign_in', 'success', null, userId],
      ['password_refused', 'failure', 'PASSWORD_TOO_COMMON', null],
      ['other_sessions_revoked', 'success', null, userId],
      ['account_deleted', 'success', null, userId],
    ]);
    expect(lines[1]).toMatchObject({
      emailHash: emailHash(email),
      userAgent: 'JestBrowser/1.0',
      type: 'audit',
    });
    for (const line of raw) {
      for (const secret of [
        password,
        'wrong password here',
        'password123',
        email,
        cookie.split('=')[1]!,
      ])
        expect(line).not.toContain(secret);
    }
  });
});
