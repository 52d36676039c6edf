import { AccessDeniedError, JwksUnavailableError, TokenRejectedError } from './auth.errors';
import { toAuthErrorResponse } from './auth-error-response';

describe('toAuthErrorResponse', () => {
  it('states a rejected token: 401, the reason, a fixed RFC 6750 challenge', () => {
    expect(
      toAuthErrorResponse(new TokenRejectedError('unknown_key', 'kid "ключ" unknown')),
    ).toEqual({
      status: 401,
      body: {
        statusCode: 401,
        error: 'Unauthorized',
        code: 'unknown_key',
        message: 'kid "ключ" unknown',
      },
      headers: {
        'WWW-Authenticate':
          'Bearer error="invalid_token", error_description="No known signing key matches the token"',
      },
    });
    expect(toAuthErrorResponse(new TokenRejectedError('missing_token', 'none')).headers).toEqual({
      'WWW-Authenticate': 'Bearer',
    });
  });

  it('states a refusal of an authenticated caller: 403, a scope challenge only for roles', () => {
    expect(toAuthErrorResponse(new AccessDeniedError('insufficient_role', 'no'))).toMatchObject({
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', code: 'insufficient_role' },
      headers: { 'WWW-Authenticate': expect.stringMatching(/^Bearer error="insufficient_scope"/) },
    });
    expect(toAuthErrorResponse(new AccessDeniedError('not_owner', 'no')).headers).toEqual({});
  });

  it('states an unreachable JWKS: 503 with Retry-After', () => {
    expect(toAuthErrorResponse(new JwksUnavailableError('down', 7))).toEqual({
      status: 503,
      body: {
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'jwks_unavailable',
        message: 'down',
      },
      headers: { 'Retry-After': '7' },
    });
  });
});
