import type { ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './auth-user.interface';

/** What the guard needs from a request, whatever the transport. */
export interface AuthCarrier {
  /** The `Authorization` header value(s). */
  authorization: string | string[] | undefined;
  /** The object that receives `user` (HTTP request, GraphQL context request, socket data). */
  holder: { user?: AuthUser };
  /** The HTTP response, to set `WWW-Authenticate`/`Retry-After` on (HTTP only). */
  response?: unknown;
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

type HeaderBag = { headers?: Record<string, string | string[] | undefined> };

/**
 * Finds the request behind an execution context: HTTP (Express, Fastify), GraphQL (the
 * request in the GraphQL context) and WebSockets (socket.io handshake headers). Returns
 * `undefined` for any other context, which the guard denies.
 */
export function getAuthCarrier(context: ExecutionContext): AuthCarrier | undefined {
  const type = context.getType<'http' | 'ws' | 'rpc' | 'graphql'>();
  if (type === 'http') {
    const http = context.switchToHttp();
    const request = http.getRequest<HeaderBag & { user?: AuthUser }>();
    return {
      authorization: request.headers?.authorization,
      holder: request,
      response: http.getResponse(),
    };
  }
  if (type === 'graphql') {
    const ctx = loadGraphql().GqlExecutionContext.create(context).getContext<{
      req?: HeaderBag & { user?: AuthUser };
      request?: HeaderBag & { user?: AuthUser };
    }>();
    const request = ctx.req ?? ctx.request;
    if (!request) return undefined;
    return { authorization: request.headers?.authorization, holder: request };
  }
  if (type === 'ws') {
    const client = context.switchToWs().getClient<{
      handshake?: HeaderBag;
      data?: { user?: AuthUser };
    }>();
    if (!client || typeof client !== 'object') return undefined;
    client.data ??= {};
    return { authorization: client.handshake?.headers?.authorization, holder: client.data };
  }
  return undefined;
}

/** The user a guard put on the context's request, socket or GraphQL request. */
export function getUserFromContext(context: ExecutionContext): AuthUser | undefined {
  return getAuthCarrier(context)?.holder.user;
}

/** Sets a response header on Express (`setHeader`) or Fastify (`header`) responses. */
export function setResponseHeader(response: unknown, name: string, value: string): void {
  const res = response as {
    setHeader?: (n: string, v: string) => void;
    header?: (n: string, v: string) => void;
    headersSent?: boolean;
    sent?: boolean;
  };
  if (!res || res.headersSent || res.sent) return;
  if (typeof res.setHeader === 'function') res.setHeader(name, value);
  else if (typeof res.header === 'function') res.header(name, value);
}
