import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import type { JwtFromRequestFunction } from 'passport-jwt';
import type { AuthUser } from '../auth-user.interface';
import { JwksUnavailableError, TokenRejectedError } from '../auth.errors';
import { toAuthErrorResponse } from '../auth-error-response';
import { extractBearerToken, readAuthorization, type RequestWithHeaders } from '../bearer-token';
import { TokenVerifier } from '../token-verifier.service';

/**
 * Options of {@link BetterAuthJwtStrategy}.
 *
 * @example
 * new BetterAuthJwtStrategy({ verifier, jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() }, verify);
 */
export interface BetterAuthJwtStrategyOptions {
  /** The module's verifier: jose, the same checks and cache as the guard. */
  verifier: TokenVerifier;
  /**
   * Where the token is read: any passport-jwt extractor (`ExtractJwt.*`). Default: the guard's
   * own reader (`Authorization: Bearer <token>`, case-insensitive scheme, nothing else), so
   * the strategy accepts and refuses exactly what the guard does.
   */
  jwtFromRequest?: JwtFromRequestFunction;
}

type Done = (error: unknown, user?: unknown, info?: unknown) => void;
type Verify = (user: AuthUser, done: Done) => void;
type Request = RequestWithHeaders;

const defaultExtractor: JwtFromRequestFunction = (req: Request) =>
  extractBearerToken(readAuthorization(req)) ?? null;

/**
 * A plain Passport strategy that reads a bearer token and verifies it with the module's
 * {@link TokenVerifier}. passport-jwt's own `Strategy` is not used because it verifies
 * through jsonwebtoken, which has no EdDSA (Better Auth's default); its extractors plug in
 * through `jwtFromRequest`. Fails with an RFC 6750 challenge (401); a JWKS outage is an
 * error carrying a 503.
 *
 * @example
 * passport.use('better-auth', new BetterAuthJwtStrategy({ verifier }, (user, done) => done(null, user)));
 */
export class BetterAuthJwtStrategy extends passport.Strategy {
  override name = 'better-auth';
  private readonly verifier: TokenVerifier;
  private readonly jwtFromRequest: JwtFromRequestFunction;

  constructor(
    options: BetterAuthJwtStrategyOptions,
    private readonly verifyUser: Verify,
  ) {
    super();
    this.verifier = options.verifier;
    this.jwtFromRequest = options.jwtFromRequest ?? defaultExtractor;
  }

  override authenticate(req: Request): void {
    let token: string | null;
    try {
      token = this.jwtFromRequest(req);
    } catch (error) {
      return this.reject(error);
    }
    if (!token) return this.fail('Bearer', HttpStatus.UNAUTHORIZED);
    this.verifier.verify(token).then(
      (user) => {
        try {
          this.verifyUser(user, (error, result, info) => {
            if (error) this.error(error);
            else if (!result) this.fail(info as string, HttpStatus.UNAUTHORIZED);
            else this.success(result as object, info as object);
          });
        } catch (error) {
          this.error(error as Error);
        }
      },
      (error: unknown) => this.reject(error),
    );
  }

  /** Passport's vocabulary for the module's refusals: a failed challenge (401), or an error
   * carrying the 503 body (Passport has no way to answer a 503 itself). */
  private reject(error: unknown): void {
    if (error instanceof TokenRejectedError) {
      return this.fail(
        toAuthErrorResponse(error).headers['WWW-Authenticate'],
        HttpStatus.UNAUTHORIZED,
      );
    }
    if (error instanceof JwksUnavailableError) {
      const { status, body } = toAuthErrorResponse(error);
      return this.error(new HttpException(body, status));
    }
    this.error(error as Error);
  }
}

/**
 * The `better-auth` Passport strategy for Nest: add it to a module's providers (next to
 * `AuthModule`, usually with `globalGuard: false`) and compose it with other strategies.
 * `request.user` is the same {@link AuthUser} the guard would set; override `validate` to
 * enrich or refuse it.
 *
 * @example
 * @Module({
 *   imports: [PassportModule, AuthModule.forRoot({ issuer, globalGuard: false })],
 *   providers: [BetterAuthStrategy, ApiKeyStrategy],
 * })
 * export class AppModule {}
 *
 * @UseGuards(AuthGuard(['better-auth', 'api-key']))
 * @Get('reports')
 * reports(@CurrentUser() user: AuthUser) {}
 */
@Injectable()
export class BetterAuthStrategy extends PassportStrategy(BetterAuthJwtStrategy, 'better-auth') {
  constructor(verifier: TokenVerifier) {
    super({ verifier });
  }

  /** Called with the verified user; return it (or an enriched object), or throw to refuse. */
  validate(user: AuthUser): AuthUser | Promise<AuthUser> {
    return user;
  }
}
