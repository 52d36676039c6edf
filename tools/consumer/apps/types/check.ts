// Every entry point of both packages resolves to its real types (an unresolved subpath fails
// with TS2307, a missing typesVersions fallback leaves it `any`, which `real()` refuses).
// Type-checked by run.mjs under each module resolution users have; copied to check.mts for
// node16/nodenext, where the ESM package web-auth can only be imported from an ES module.
import { AuthModule, JwtAuthGuard, type AuthUser } from '@authbridge/nest-auth';
import type { BetterAuthJwtStrategyOptions } from '@authbridge/nest-auth/passport';
import { AUTH_MODULE_OPTIONS, TestIssuer } from '@authbridge/nest-auth/testing';
import { createApiClient, createTokenManager, isApiError } from '@authbridge/web-auth';
import { createServerApiClient } from '@authbridge/web-auth/server';

type IsAny<T> = 0 extends 1 & T ? true : false;
function real<T>(value: T, proof: IsAny<T> extends true ? never : true) {
  return [value, proof];
}

export const entryPoints = [
  real(AuthModule, true),
  real(JwtAuthGuard, true),
  real({} as AuthUser, true),
  real({} as BetterAuthJwtStrategyOptions, true),
  real(AUTH_MODULE_OPTIONS, true),
  real(TestIssuer, true),
  real(createApiClient, true),
  real(createTokenManager, true),
  real(isApiError, true),
  real(createServerApiClient, true),
];
