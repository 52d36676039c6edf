// Routes that exist only in the benchmark: the public baseline and the other ways of putting
// auth in front of a Nest route, mounted next to the real backend (its AppModule, built in
// production mode) by server.mjs. Nothing here ships with the backend.
//
// Plain CommonJS with decorators applied by hand, so the bench needs no build step of its own.
'use strict';
require('reflect-metadata');
const {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  UnauthorizedException,
  UseGuards,
} = require('@nestjs/common');
const { Public } = require('@authbridge/nest-auth');

/** Applies method decorators in source order, as `@A() @B() method()` would. */
function decorate(target, key, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  for (const d of decorators.reverse()) d(target.prototype, key, descriptor);
}

/** The body /api/me answers, for the routes that stand beside it. */
const meOf = (user) => ({ id: user.id, email: user.email ?? null, name: user.name ?? null });

/** The public baseline: the body of /api/me, without auth. */
class PublicController {
  open() {
    return meOf({ id: 'bench-caller', email: 'caller@bench.test', name: 'Bench Caller' });
  }
}
decorate(PublicController, 'open', Get('public'), Public());
Controller('bench')(PublicController);

/**
 * The bench routes of the backend's process: the public baseline, and the JWT guards others
 * write (jose on every request, Auth0's express-oauth2-jwt-bearer).
 * @param {object} o
 * @param {string} o.issuer   `iss` and `aud` (Better Auth's defaults: its origin)
 * @param {string} o.jwksUrl  the key set the backend trusts
 * @param {object} o.libs  ESM-only packages, imported by the caller
 */
function createBenchModule({ issuer, jwksUrl, libs }) {
  const { jwtVerify, createRemoteJWKSet } = libs.jose;

  // What most tutorials write: one remote key set for the process, jwtVerify on every request.
  const remoteKeys = createRemoteJWKSet(new URL(jwksUrl));
  class NaiveJoseGuard {
    async canActivate(context) {
      const req = context.switchToHttp().getRequest();
      const header = req.headers.authorization ?? '';
      if (!header.startsWith('Bearer ')) throw new UnauthorizedException();
      try {
        const { payload } = await jwtVerify(header.slice(7), remoteKeys, {
          issuer,
          audience: issuer,
        });
        req.user = { id: payload.sub, email: payload.email, name: payload.name };
        return true;
      } catch {
        throw new UnauthorizedException();
      }
    }
  }
  Injectable()(NaiveJoseGuard);

  // Auth0's middleware, as its NestJS sample wraps it: a guard that runs it on the request.
  const oauth2 = libs.oauth2.auth({
    issuer,
    audience: issuer,
    jwksUri: jwksUrl,
    tokenSigningAlg: 'RS256',
  });
  class OAuth2JwtBearerGuard {
    canActivate(context) {
      const http = context.switchToHttp();
      const req = http.getRequest();
      return new Promise((resolve, reject) =>
        oauth2(req, http.getResponse(), (error) =>
          error ? reject(new UnauthorizedException()) : resolve(true),
        ),
      );
    }
  }
  Injectable()(OAuth2JwtBearerGuard);

  class JwtGuardsController {
    naiveJose(req) {
      return meOf(req.user);
    }
    oauth2(req) {
      const claims = req.auth.payload;
      return meOf({ id: claims.sub, email: claims.email, name: claims.name });
    }
  }
  // @Public() opens a route to nest-auth's global guard; the other guard then does the work.
  decorate(
    JwtGuardsController,
    'naiveJose',
    Get('naive-jose'),
    Public(),
    UseGuards(NaiveJoseGuard),
  );
  decorate(
    JwtGuardsController,
    'oauth2',
    Get('oauth2-jwt-bearer'),
    Public(),
    UseGuards(OAuth2JwtBearerGuard),
  );
  for (const key of ['naiveJose', 'oauth2']) Req()(JwtGuardsController.prototype, key, 0);
  Controller('bench')(JwtGuardsController);

  class BenchModule {}
  Module({
    controllers: [PublicController, JwtGuardsController],
    providers: [NaiveJoseGuard, OAuth2JwtBearerGuard],
  })(BenchModule);
  return BenchModule;
}

/**
 * The way most Better Auth + NestJS projects run today: Better Auth in the Nest process
 * through @thallesp/nestjs-better-auth, its guard reading the session cookie on every
 * request. Served by a second app (the backend's modules plus this), because that module's
 * middleware runs on every route and would slow the backend's own rows down.
 * @param {object} o
 * @param {object} o.betterAuth  the Better Auth instance
 * @param {object} o.sessionModule  `@thallesp/nestjs-better-auth`
 */
function createSessionBenchModule({ betterAuth, sessionModule }) {
  class SessionController {
    session(req) {
      return meOf(req.session.user);
    }
  }
  decorate(
    SessionController,
    'session',
    Get('session'),
    Public(),
    UseGuards(sessionModule.AuthGuard),
  );
  Req()(SessionController.prototype, 'session', 0);
  Controller('bench')(SessionController);

  class SessionBenchModule {}
  Module({
    imports: [
      sessionModule.AuthModule.forRoot({
        auth: betterAuth,
        disableGlobalAuthGuard: true,
        disableTrustedOriginsCors: true,
        disableBodyParser: true,
      }),
    ],
    controllers: [PublicController, SessionController],
  })(SessionBenchModule);
  return SessionBenchModule;
}

module.exports = { createBenchModule, createSessionBenchModule };
