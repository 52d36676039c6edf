import { AUTH_MESSAGES } from './messages';
import { fieldErrors, signInSchema, signUpSchema } from './schemas';

describe('form schemas', () => {
  it('sign-up: a message for each field that breaks a rule', () => {
    const parsed = signUpSchema.safeParse({ name: ' ', email: 'nope', password: 'short' });
    expect(parsed.success).toBe(false);
    expect(fieldErrors(parsed.error!)).toEqual({
      name: AUTH_MESSAGES.nameRequired,
      email: AUTH_MESSAGES.emailInvalid,
      password: AUTH_MESSAGES.passwordTooShort,
    });
  });

  it('sign-in: any non-empty password goes to Better Auth; the email is normalised', () => {
    const parsed = signInSchema.safeParse({ email: ' Ada@Example.COM ', password: 'x' });
    expect(parsed.data).toEqual({ email: 'ada@example.com', password: 'x' });
  });
});
