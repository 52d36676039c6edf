import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { AuthModuleOptions } from '../auth-module-options';
import type { SupportedAlgorithm } from '../auth.constants';
import { AUTH_MODULE_OPTIONS } from '../auth.module-definition';
import { InMemoryRevocationSource } from '../in-memory-revocation-source';

/**
 * Options of {@link TestIssuer.create}.
 *
 * @example
 * await TestIssuer.create({ issuer: 'http://localhost:3000', alg: 'ES256', kid: 'k1' });
 */
export interface TestIssuerOptions {
  /** `iss` of the tokens. Default: `http://localhost:3000` (a local Better Auth). */
  issuer?: string;
  /** `aud` of the tokens. Default: the issuer (as Better Auth does). */
  audience?: string;
  /** Signing algorithm. Default: `EdDSA` (Better Auth's default). */
  alg?: SupportedAlgorithm;
  /** `kid` of the first key. Default: a random id. */
  kid?: string;
}

/**
 * Per-token options of {@link TestIssuer.sign}.
 *
 * @example
 * await issuer.sign({ sub: 'u1' }, { expiresIn: -60 }); // expired a minute ago
 */
export interface SignOptions {
  /** Lifetime in seconds from `iat`; negative for an already expired token. Default: 900. */
  expiresIn?: number;
  /** `iat` in seconds since the epoch. Default: now. */
  issuedAt?: number;
  /** `nbf` in seconds since the epoch. Default: none. */
  notBefore?: number;
  /** `kid` header: an earlier key's kid signs with that key; any other value is just written. */
  kid?: string;
  /**
   * Signature algorithm, to forge bad tokens: `none` (unsigned), `HS256` (HMAC keyed with the
   * public key, the classic confusion attack) or another asymmetric algorithm (throw-away key).
   */
  alg?: string;
  /** Extra protected header parameters. */
  header?: Record<string, unknown>;
}

/**
 * The JWKS of a {@link TestIssuer} served over HTTP on 127.0.0.1, like Better Auth's
 * `/api/auth/jwks`.
 *
 * @example
 * const served = await issuer.serve();
 * AuthModule.forRoot({ issuer: issuer.issuer, jwksUrl: served.jwksUrl });
 */
export interface ServedJwks {
  /** Origin of the server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** `${url}/api/auth/jwks`. */
  jwksUrl: string;
  /** JWKS fetches served so far. */
  readonly requests: number;
  /**
   * `up` serves the keys; `down` answers 503; `hang` never answers (for timeouts).
   * Default: `up`.
   */
  mode: 'up' | 'down' | 'hang';
  close(): Promise<void>;
}

/**
 * What {@link TestIssuer.overrideAuth} needs from a test module builder: `overrideProvider(token)
 * .useValue(value)`, as on `@nestjs/testing`'s `TestingModuleBuilder`. Structural, so this entry
 * point does not make `@nestjs/testing` a dependency.
 *
 * @example
 * const builder: ProviderOverrides<TestingModuleBuilder> = Test.createTestingModule({ imports: [AppModule] });
 */
export interface ProviderOverrides<Builder> {
  overrideProvider(token: unknown): { useValue(value: unknown): Builder };
}

interface IssuerKey {
  kid: string;
  alg: SupportedAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function makeKey(alg: SupportedAlgorithm, kid: string): Promise<IssuerKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

/**
 * A stand-in for Better Auth in tests: makes a key pair, exposes or serves its JWKS and
 * mints tokens with any claims (expired, wrong audience, another user...).
 *
 * @example
 * const issuer = await TestIssuer.create();
 * // the app's own AuthModule.forRoot/forRootAsync now trusts this issuer, offline:
 * const moduleRef = await issuer
 *   .overrideAuth(Test.createTestingModule({ imports: [AppModule] }))
 *   .compile();
 * const token = await issuer.sign({ sub: 'user-1', email: 'ada@example.com' });
 */
export class TestIssuer {
  private readonly keys: IssuerKey[];

  /**
   * A revocation source for the apps of this test: pass it as the `revocation` option
   * (`issuer.moduleOptions({ revocation: issuer.revocations })`), then revoke with
   * {@link revokeSession} / {@link revokeUser}. Apps started on it all see each revocation.
   */
  readonly revocations = new InMemoryRevocationSource();

  private constructor(
    /** `iss` of the tokens. */
    readonly issuer: string,
    /** `aud` of the tokens. */
    readonly audience: string,
    first: IssuerKey,
  ) {
    this.keys = [first];
  }

  /**
   * Makes an issuer with a fresh key pair.
   *
   * @example
   * const issuer = await TestIssuer.create({ alg: 'RS256' });
   */
  static async create(options: TestIssuerOptions = {}): Promise<TestIssuer> {
    const issuer = options.issuer ?? 'http://localhost:3000';
    const key = await makeKey(options.alg ?? 'EdDSA', options.kid ?? randomUUID());
    return new TestIssuer(issuer, options.audience ?? issuer, key);
  }

  /** The signing key in use. */
  private get current(): IssuerKey {
    return this.keys[this.keys.length - 1];
  }

  /** Algorithm of the current key. */
  get alg(): SupportedAlgorithm {
    return this.current.alg;
  }

  /** `kid` of the current key. */
  get kid(): string {
    return this.current.kid;
  }

  /** The public keys, newest last (earlier keys stay published, like Better Auth's grace period). */
  get jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk })) };
  }

  /**
   * Mints a token. Defaults: `sub` and `sid` (the session id) random uuids, `iss`/`aud` of
   * the issuer, `iat` now, `exp` 15 minutes later, header `{ alg, kid }` like Better Auth's.
   * Pass `{ sid: undefined }` for a token without a session id.
   *
   * @example
   * const expired = await issuer.sign({ sub: 'u1' }, { expiresIn: -60 });
   * const foreign = await issuer.sign({ aud: 'https://elsewhere.example' });
   */
  async sign(claims: Record<string, unknown> = {}, options: SignOptions = {}): Promise<string> {
    const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      sub: randomUUID(),
      sid: randomUUID(),
      iss: this.issuer,
      aud: this.audience,
      iat,
      exp: iat + (options.expiresIn ?? 900),
      ...(options.notBefore !== undefined ? { nbf: options.notBefore } : {}),
      ...claims,
    };
    for (const [name, value] of Object.entries(payload))
      if (value === undefined) delete payload[name];

    const key = this.keys.find((k) => k.kid === options.kid) ?? this.current;
    const alg = options.alg ?? key.alg;
    const header = { ...options.header, alg, kid: options.kid ?? key.kid };

    if (alg === 'none' || /^HS\d+$/.test(alg)) {
      const encode = (value: object) => base64url.encode(JSON.stringify(value));
      const input = `${encode(header)}.${encode(payload)}`;
      if (alg === 'none') return `${input}.`;
      const secret = JSON.stringify(key.publicJwk);
      const bits = alg.slice(2);
      return `${input}.${base64url.encode(createHmac(`sha${bits}`, secret).update(input).digest())}`;
    }
    const signingKey =
      alg === key.alg
        ? key.privateKey
        : (await generateKeyPair(alg, { extractable: true })).privateKey;
    return new SignJWT(payload).setProtectedHeader(header).sign(signingKey);
  }

  /**
   * Revokes a session on {@link revocations}: tokens with this `sid` get 401
   * `session_revoked` from the apps that use it. Takes the `sid` or a token of the session.
   *
   * @example
   * const token = await issuer.sign({ sub: 'u1' });
   * issuer.revokeSession(token);
   */
  revokeSession(sidOrToken: string): void {
    this.revocations.revokeSession(sidOf(sidOrToken));
  }

  /**
   * Revokes every session a user has so far ("sign out everywhere", a ban): tokens with this
   * `sub` issued until now get 401 `user_revoked`.
   *
   * @example
   * issuer.revokeUser('u1');
   */
  revokeUser(userId: string, at = Date.now()): void {
    this.revocations.revokeUser(userId, at);
  }

  /**
   * Starts signing with a new key (new `kid`); the old public key stays in the JWKS.
   *
   * @example
   * await issuer.rotate();
   * const tokenWithNewKid = await issuer.sign();
   */
  async rotate(options: { kid?: string; alg?: SupportedAlgorithm } = {}): Promise<void> {
    this.keys.push(await makeKey(options.alg ?? this.alg, options.kid ?? randomUUID()));
  }

  /**
   * Serves the JWKS over HTTP on 127.0.0.1 (a free port) at `/api/auth/jwks`, counting fetches.
   *
   * @example
   * const served = await issuer.serve();
   * served.mode = 'down'; // the JWKS now answers 503
   * await served.close();
   */
  async serve(): Promise<ServedJwks> {
    let requests = 0;
    const hanging = new Set<() => void>();
    const state = { mode: 'up' as ServedJwks['mode'] };
    const server: Server = createServer((req, res) => {
      if (req.url !== '/api/auth/jwks') {
        res.writeHead(404).end();
        return;
      }
      requests++;
      if (state.mode === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      if (state.mode === 'down') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      jwksUrl: `${url}/api/auth/jwks`,
      get requests() {
        return requests;
      },
      get mode() {
        return state.mode;
      },
      set mode(mode) {
        state.mode = mode;
      },
      close: () =>
        new Promise<void>((resolve) => {
          for (const abort of hanging) abort();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  /**
   * Options for `AuthModule.forRoot(...)` that trust this issuer offline (`keys: jwks`).
   *
   * @example
   * AuthModule.forRoot(issuer.moduleOptions({ globalGuard: false }));
   */
  moduleOptions(overrides: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
    return {
      issuer: this.issuer,
      audience: this.audience,
      keys: this.jwks,
      algorithms: [...new Set(this.keys.map((k) => k.alg))],
      ...overrides,
    };
  }

  /**
   * Makes the app's own `AuthModule.forRoot(...)` / `forRootAsync(...)` trust this issuer:
   * replaces the module's options provider on a `TestingModuleBuilder` with
   * {@link moduleOptions}`(overrides)`. The app's options factory is not called, so a test
   * needs neither its environment variables nor its JWKS.
   *
   * The app's options are replaced as a whole: pass the ones it sets besides the trust
   * settings (e.g. `{ rolesClaim: 'roles', globalGuard: false }`) as `overrides`. To test
   * rotation over HTTP, pass `{ keys: undefined, jwksUrl: served.jwksUrl }` (see {@link serve}).
   *
   * @example
   * const moduleRef = await issuer
   *   .overrideAuth(Test.createTestingModule({ imports: [AppModule] }))
   *   .compile();
   */
  overrideAuth<Builder extends ProviderOverrides<Builder>>(
    builder: Builder,
    overrides: Partial<AuthModuleOptions> = {},
  ): Builder {
    return builder.overrideProvider(AUTH_MODULE_OPTIONS).useValue(this.moduleOptions(overrides));
  }
}

/** The `sid` of a token, or the argument itself when it is not a JWT. */
function sidOf(sidOrToken: string): string {
  const parts = sidOrToken.split('.');
  if (parts.length !== 3) return sidOrToken;
  const payload = JSON.parse(new TextDecoder().decode(base64url.decode(parts[1]))) as {
    sid?: unknown;
  };
  if (typeof payload.sid !== 'string') throw new Error('This token has no "sid" claim.');
  return payload.sid;
}

/**
 * Same as {@link TestIssuer.create}.
 *
 * @example
 * const issuer = await createTestIssuer({ alg: 'ES256' });
 */
export const createTestIssuer = (options?: TestIssuerOptions) => TestIssuer.create(options);
