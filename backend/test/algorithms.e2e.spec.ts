import { TestIssuer } from '@authbridge/nest-auth/testing';
import { bearer, ISSUER, startTestApi, type TestApi } from './support/api';

// `config.auth.algorithms` (set on the config object, never from the environment) reaches
// nest-auth; left unset, the API accepts nest-auth's default, EdDSA (Better Auth's key) only.
describe('accepted signature algorithms (e2e)', () => {
  const apis: TestApi[] = [];
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.close()));
  });

  // One key set holding an EdDSA and an RS256 key, as after a switch of Better Auth's keyPairConfig.
  async function issuerWithBothKeys(): Promise<{ issuer: TestIssuer; eddsaKid: string }> {
    const issuer = await TestIssuer.create({ issuer: ISSUER, audience: ISSUER });
    const eddsaKid = issuer.kid;
    await issuer.rotate({ alg: 'RS256' });
    return { issuer, eddsaKid };
  }

  it('refuses an RS256 token by default and accepts EdDSA', async () => {
    const { issuer, eddsaKid } = await issuerWithBothKeys();
    const api = await startTestApi({}, { issuer });
    apis.push(api);
    const rs256 = await issuer.sign({ sub: 'user-rs' });
    const eddsa = await issuer.sign({ sub: 'user-ed' }, { kid: eddsaKid });
    await api.http.get('/api/me').set(bearer(rs256)).expect(401);
    await api.http.get('/api/me').set(bearer(eddsa)).expect(200);
  });

  it('accepts RS256 once config.auth.algorithms lists it', async () => {
    const { issuer } = await issuerWithBothKeys();
    const api = await startTestApi({}, { issuer, algorithms: ['EdDSA', 'RS256'] });
    apis.push(api);
    const rs256 = await issuer.sign({ sub: 'user-rs' });
    const { body } = await api.http.get('/api/me').set(bearer(rs256)).expect(200);
    expect(body.id).toBe('user-rs');
  });
});
