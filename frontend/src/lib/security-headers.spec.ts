import {
  contentSecurityPolicy,
  securityHeaders,
  type SecurityHeaderOptions,
} from './security-headers';

const base: SecurityHeaderOptions = {
  nonce: 'bm9uY2U=',
  dev: false,
  https: false,
  apiOrigin: 'http://localhost:3001',
};

describe('contentSecurityPolicy', () => {
  it('production over http: nonce scripts, no eval, no framing, no upgrade', () => {
    expect(contentSecurityPolicy(base)).toBe(
      [
        "default-src 'self'",
        "script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'",
        "style-src 'self' 'nonce-bm9uY2U='",
        "img-src 'self' blob: data:",
        "font-src 'self'",
        "connect-src 'self' http://localhost:3001",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
  });

  it('next dev: eval for React and inline styles for the overlay, nothing else', () => {
    const csp = contentSecurityPolicy({ ...base, dev: true });
    expect(csp).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic' 'unsafe-eval';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('over https: plain-http subresources are upgraded', () => {
    expect(contentSecurityPolicy({ ...base, https: true })).toMatch(/; upgrade-insecure-requests$/);
  });

  it('lets forms go to the configured providers', () => {
    const csp = contentSecurityPolicy({ ...base, formTargets: ['https://github.com'] });
    expect(csp).toContain("form-action 'self' https://github.com;");
  });
});

describe('securityHeaders', () => {
  it('has HSTS only over https', () => {
    expect(securityHeaders(base)['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ ...base, https: true })['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('always has the rest', () => {
    expect(securityHeaders(base)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'permissions-policy': expect.stringContaining('camera=()'),
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    });
  });
});
