import { HttpException, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user.interface';
import { toAuthErrorResponse } from './auth-error-response';
import type { AuthError } from './auth.errors';
import { readAuthorization, type RequestWithHeaders } from './bearer-token';

/**
 * One request, whatever carries it (HTTP on Express or Fastify, a GraphQL operation, a
 * WebSocket connection): what the guards and `@CurrentUser()` need from it, in one place.
 * A view with no state of its own: the caller lives where the transport keeps it
 * (`request.user`, the socket's `data.user`), so the JWT guard, the roles and ownership
 * guards and every `@CurrentUser()` see the same caller through it.
 *
 * @example
 * @Injectable()
 * export class VerifiedEmailGuard implements CanActivate {
 *   canActivate(context: ExecutionContext): boolean {
 *     const request = getAuthRequest(context);
 *     if (request?.user?.claims.email_verified === true) return true;
 *     throw request?.fail(new AccessDeniedError('insufficient_role', 'Verify your email first.')) ?? new ForbiddenException();
 *   }
 * }
 */
export interface AuthRequest {
  /** The transport that carries the request. */
  readonly transport: 'http' | 'graphql' | 'ws';
  /**
   * The `Authorization` header (WebSockets: of the handshake); every value when it was sent
   * more than once, which {@link extractBearerToken} refuses.
   */
  readonly authorization: string | string[] | undefined;
  /**
   * The caller, set by whichever guard authenticated the request: {@link JwtAuthGuard}, the
   * Passport strategy (`request.user`), or your own. `undefined` while anonymous.
   */
  user: AuthUser | undefined;
  /**
   * A parameter named by the route: a path parameter (HTTP), an argument of the resolver
   * (GraphQL) or a field of the message (WebSockets). The context says which handler asks.
   */
  param(context: ExecutionContext, name: string): unknown;
  /**
   * Answers the request with this refusal: writes its headers where the transport has them
   * (HTTP: `WWW-Authenticate`, `Retry-After`) and returns the exception to throw
   * (`HttpException`, or `WsException` on WebSockets) with the same body.
   */
  fail(error: AuthError): Error;
}

type HttpRequest = RequestWithHeaders & { user?: AuthUser; params?: Record<string, unknown> };
type HttpResponse = {
  setHeader?: (name: string, value: string) => void;
  header?: (name: string, value: string) => void;
  headersSent?: boolean;
  sent?: boolean;
};

/** Where a socket keeps its AuthRequest (built once per connection, not per message). */
const WS_KEY = Symbol('AUTHBRIDGE:WS_REQUEST');
type Carrier = Record<symbol, AuthRequest | undefined>;

/** HTTP and GraphQL alike read the header from, and keep the user on, the HTTP request. */
abstract class OverHttpAuthRequest {
  constructor(protected readonly request: HttpRequest) {}

  get authorization() {
    return readAuthorization(this.request);
  }

  get user() {
    return this.request.user;
  }

  set user(user: AuthUser | undefined) {
    this.request.user = user;
  }
}

class HttpAuthRequest extends OverHttpAuthRequest implements AuthRequest {
  readonly transport = 'http';

  constructor(
    request: HttpRequest,
    private readonly response: HttpResponse | undefined,
  ) {
    super(request);
  }

  param(_context: ExecutionContext, name: string): unknown {
    return this.request.params?.[name];
  }

  fail(error: AuthError): Error {
    const { status, body, headers } = toAuthErrorResponse(error);
    const res = this.response;
    if (res && !res.headersSent && !res.sent) {
      for (const name in headers) {
        // Express answers with setHeader, Fastify with header.
        if (typeof res.setHeader === 'function') res.setHeader(name, headers[name]);
        else if (typeof res.header === 'function') res.header(name, headers[name]);
      }
    }
    return new HttpException(body, status);
  }
}

class GraphqlAuthRequest extends OverHttpAuthRequest implements AuthRequest {
  readonly transport = 'graphql';

  param(context: ExecutionContext, name: string): unknown {
    return (context.getArgByIndex(1) as Record<string, unknown> | undefined)?.[name];
  }

  fail(error: AuthError): Error {
    // GraphQL answers 200 with the error in the body (the GraphQL server formats it); no
    // response header carries it.
    const { status, body } = toAuthErrorResponse(error);
    return new HttpException(body, status);
  }
}

type Socket = {
  handshake?: { headers?: RequestWithHeaders['headers'] };
  request?: { rawHeaders?: string[] };
  data?: { user?: AuthUser };
};

class WsAuthRequest implements AuthRequest {
  readonly transport = 'ws';
  private readonly data: { user?: AuthUser };

  constructor(private readonly socket: Socket) {
    this.data = socket.data ??= {};
  }

  get authorization() {
    return readAuthorization({
      headers: this.socket.handshake?.headers,
      rawHeaders: this.socket.request?.rawHeaders,
    });
  }

  get user() {
    return this.data.user;
  }

  set user(user: AuthUser | undefined) {
    this.data.user = user;
  }

  param(context: ExecutionContext, name: string): unknown {
    return (context.switchToWs().getData() as Record<string, unknown> | undefined)?.[name];
  }

  fail(error: AuthError): Error {
    return new (loadWebsockets().WsException)(toAuthErrorResponse(error).body);
  }
}

type GqlModule = { GqlExecutionContext: { create(context: ExecutionContext): GqlContextHost } };
type GqlContextHost = { getContext<T = Record<string, unknown>>(): T };
let gql: GqlModule | undefined;
/** @nestjs/graphql is an optional peer: loaded on the first GraphQL request only. */
function loadGraphql(): GqlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  gql ??= require('@nestjs/graphql') as GqlModule;
  return gql;
}

type WsModule = { WsException: new (error: object) => Error };
let ws: WsModule | undefined;
/** @nestjs/websockets is an optional peer: only a refusal on a WebSocket loads it. */
function loadWebsockets(): WsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ws ??= require('@nestjs/websockets') as WsModule;
  return ws;
}

/**
 * The {@link AuthRequest} behind an execution context. HTTP and GraphQL get a new view on
 * every call: it is a small object, where keeping it on Node's request would add a property
 * to that request on every request, which measured ~1.3 µs a time in the bench's server
 * (a store that changes the shape of Node's request is a slow path in V8), more than the whole
 * cached-token check. A socket keeps its view for the connection. `undefined` for a context
 * that carries no request the module understands (e.g. microservices), which the guards deny.
 *
 * @example
 * const user = getAuthRequest(context)?.user;
 */
export function getAuthRequest(context: ExecutionContext): AuthRequest | undefined {
  const type = context.getType<'http' | 'ws' | 'rpc' | 'graphql'>();
  if (type === 'http') {
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    if (!request || typeof request !== 'object') return undefined;
    return new HttpAuthRequest(request, http.getResponse());
  }
  if (type === 'graphql') {
    const ctx = loadGraphql().GqlExecutionContext.create(context).getContext<{
      req?: HttpRequest;
      request?: HttpRequest;
    }>();
    const request = ctx?.req ?? ctx?.request;
    if (!request || typeof request !== 'object') return undefined;
    return new GraphqlAuthRequest(request);
  }
  if (type === 'ws') {
    const socket = context.switchToWs().getClient<Socket & Carrier>();
    if (!socket || typeof socket !== 'object') return undefined;
    return (socket[WS_KEY] ??= new WsAuthRequest(socket));
  }
  return undefined;
}
