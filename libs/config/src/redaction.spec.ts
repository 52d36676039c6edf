import { isSecretVariable, shownValue } from './redaction';

describe('redaction', () => {
  it.each([
    ['BETTER_AUTH_SECRET', 'anything'],
    ['GOOGLE_CLIENT_SECRET', 'x'],
    ['SMTP_PASSWORD', 'x'],
    ['GITHUB_TOKEN', 'x'],
    ['STRIPE_API_KEY', 'x'],
    ['DATABASE_URL', 'mysql://db'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'redis://127.0.0.1'],
    ['SMTP_URL', 'smtp://mail'],
    ['ANALYTICS_DATABASE_URL', 'x'],
    ['AUTH_JWKS_URL', 'https://user:pw@keys.example.com'],
    ['WEBHOOK_URL', 'user:pw@hooks.example.com'],
  ])('never shows %s', (name, value) => {
    expect(isSecretVariable(name, value)).toBe(true);
    expect(shownValue(name, value)).toBe('');
  });

  it.each([
    ['API_PORT', 'abc'],
    ['BETTER_AUTH_URL', 'localhost:3000'],
    ['AUTH_JWKS_URL', 'ftp://x'],
    ['NODE_ENV', 'staging'],
  ])('shows %s', (name, value) => {
    expect(shownValue(name, value)).toBe(` (got ${JSON.stringify(value)})`);
  });

  it('shows nothing for an unset or blank value', () => {
    expect(shownValue('API_PORT', undefined)).toBe('');
    expect(shownValue('API_PORT', '  ')).toBe('');
  });
});
