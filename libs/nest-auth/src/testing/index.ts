// @authbridge/nest-auth/testing: a stand-in for Better Auth in users' own tests.
export {
  TestIssuer,
  createTestIssuer,
  type TestIssuerOptions,
  type SignOptions,
  type ServedJwks,
} from './test-issuer';
