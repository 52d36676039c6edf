// @authbridge/nest-auth/testing: a stand-in for Better Auth in users' own tests.
export {
  TestIssuer,
  createTestIssuer,
  type TestIssuerOptions,
  type SignOptions,
  type ServedJwks,
  type ProviderOverrides,
} from './test-issuer';
/**
 * DI token of the options given to `AuthModule.forRoot`/`forRootAsync`, for overrides that
 * {@link TestIssuer.overrideAuth} does not cover (e.g. `.useFactory(...)`).
 *
 * @example
 * Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(AUTH_MODULE_OPTIONS)
 *   .useValue(issuer.moduleOptions({ rolesClaim: 'roles' }));
 */
export { AUTH_MODULE_OPTIONS } from '../auth.module-definition';
