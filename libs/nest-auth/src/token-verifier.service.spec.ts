import { Logger } from '@nestjs/common';
import { resolveAuthOptions, type AuthModuleOptions } from './auth-module-options';
import { JwksUnavailableError, TokenRejectedError } from './auth.errors';
import { TestIssuer } from './testing';
import { toAuthUser, TokenVerifier } from './token-verifier.service';

const verifierFor = (options: AuthModuleOptions) => new TokenVerifier(resolveAuthOptions(options));

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('TokenVerifier', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create();
  });

  it('returns the typed user', async () => {
    const verifier = verifierFor(issuer.moduleOptions());
    const token = await issuer.sign({
      sub: 'u1',
      sid: 's1',
      email: 'a@example.com',
      name: 'A',
      role: 'x',
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'u1',
      sessionId: 's1',
      email: 'a@example.com',
      name: 'A',
      role: 'x',
      claims: expect.objectContaining({ sub: 'u1', iss: issuer.issuer, aud: issuer.audience }),
    });
  });

  it.each(['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'] as const)('verifies %s', async (alg) => {
    const other = await TestIssuer.create({ alg });
    const verifier = verifierFor(other.moduleOptions());
    await expect(verifier.verify(await other.sign({ sub: alg }))).resolves.toMatchObject({
      id: alg,
    });
  });

  it('accepts a list of audiences', async () => {
    const verifier = verifierFor(issuer.moduleOptions({ audience: ['api-a', issuer.audience] }));
    await expect(verifier.verify(await issuer.sign())).resolves.toBeDefined();
  });

  it('explains each refusal with a reason code', async () => {
    const verifier = verifierFor(issuer.moduleOptions({ requiredClaims: ['email'] }));
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[() => Promise<string>, string]> = [
      [async () => '', 'missing_token'],
      [() => issuer.sign({ email: 'e' }), 'accepted'],
      [() => issuer.sign(), 'missing_claim'],
      [() => issuer.sign({ email: 'e', sub: '' }), 'invalid_claim'],
      [() => issuer.sign({ email: 'e', sub: 42 }), 'invalid_claim'],
      [() => issuer.sign({ email: 'e', exp: 'soon' }), 'invalid_claim'],
      [() => issuer.sign({ email: 'e' }, { issuedAt: now + 3600 }), 'invalid_claim'],
      [async () => 'a.b.c', 'malformed_token'],
      [async () => '%%%.%%%.%%%', 'malformed_token'],
      [async () => 'x'.repeat(20), 'malformed_token'],
    ];
    for (const [token, reason] of cases) {
      expect([reason, await reasonOf(verifier.verify(await token()))]).toEqual([reason, reason]);
    }
  });

  it('caches a verified token until it expires', async () => {
    const verifier = verifierFor(issuer.moduleOptions());
    const keyStore = (verifier as any).keyStore;
    const getKey = jest.spyOn(keyStore, 'getKey');
    const token = await issuer.sign({ sub: 'cached' });
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true); // shared between requests: nobody can alter it
    expect(Object.isFrozen(first.claims)).toBe(true);
    expect(getKey).toHaveBeenCalledTimes(1);
    await verifier.verify(await issuer.sign());
    expect(getKey).toHaveBeenCalledTimes(2);
  });

  it('re-checks expiry on a cache hit', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const verifier = verifierFor(issuer.moduleOptions());
      const token = await issuer.sign({}, { expiresIn: 60 });
      await verifier.verify(token);
      jest.setSystemTime(Date.now() + 66_000);
      await expect(reasonOf(verifier.verify(token))).resolves.toBe('token_expired');
    } finally {
      jest.useRealTimers();
    }
  });

  it('verifies every time with verifiedTokenCache: false', async () => {
    const verifier = verifierFor(issuer.moduleOptions({ verifiedTokenCache: false }));
    const getKey = jest.spyOn((verifier as any).keyStore, 'getKey');
    const token = await issuer.sign();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(getKey).toHaveBeenCalledTimes(2);
  });

  it('rethrows errors it does not understand, and JWKS outages as they are', async () => {
    Logger.overrideLogger(false);
    const verifier = verifierFor(issuer.moduleOptions());
    const keyStore = (verifier as any).keyStore;
    const outage = new JwksUnavailableError('down', 3);
    jest.spyOn(keyStore, 'getKey').mockRejectedValueOnce(outage);
    await expect(verifier.verify(await issuer.sign())).rejects.toBe(outage);
    const weird = new Error('weird');
    jest.spyOn(keyStore, 'getKey').mockRejectedValueOnce(weird);
    await expect(verifier.verify(await issuer.sign())).rejects.toBe(weird);
    Logger.overrideLogger(['log', 'error', 'warn']);
  });

  it('a PEM key refuses an algorithm it cannot verify', async () => {
    const { createPublicKey } = await import('node:crypto');
    const pem = createPublicKey({ key: issuer.jwks.keys[0] as any, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const verifier = verifierFor({ issuer: issuer.issuer, keys: pem, algorithms: ['ES256'] });
    const es = await TestIssuer.create({ alg: 'ES256', issuer: issuer.issuer });
    await expect(reasonOf(verifier.verify(await es.sign()))).resolves.toBe('unknown_key');
    await expect(reasonOf(verifier.verify(await es.sign()))).resolves.toBe('unknown_key');
  });
});

describe('toAuthUser', () => {
  it('keeps only well-typed optional fields', () => {
    expect(toAuthUser({ sub: 's', email: 1, name: null, role: ['a', 'b'] } as any)).toEqual({
      id: 's',
      role: ['a', 'b'],
      claims: { sub: 's', email: 1, name: null, role: ['a', 'b'] },
    });
    expect(toAuthUser({ sub: 's', role: ['a', 1] } as any).role).toBeUndefined();
    expect(toAuthUser({ sub: 's', roles: 'x' } as any, 'roles').role).toBe('x');
  });
});
