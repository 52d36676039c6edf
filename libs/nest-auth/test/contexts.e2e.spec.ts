import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  getAuthRequest,
  JwtAuthGuard,
  OwnershipGuard,
  TokenRejectedError,
  TokenVerifier,
} from '../src';
import { TestIssuer } from '../src/testing';

class SomeController {
  handler() {}
}

function contextOf(type: string, args: unknown[]) {
  const context = new ExecutionContextHost(args, SomeController, SomeController.prototype.handler);
  context.setType(type);
  return context;
}

describe('execution contexts', () => {
  let issuer: TestIssuer;
  let guard: JwtAuthGuard;
  let ownership: OwnershipGuard;

  beforeAll(async () => {
    issuer = await TestIssuer.create();
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(issuer.moduleOptions())],
    }).compile();
    guard = moduleRef.get(JwtAuthGuard);
    ownership = moduleRef.get(OwnershipGuard);
    expect(moduleRef.get(TokenVerifier)).toBeInstanceOf(TokenVerifier);
  });

  it('denies an unknown context (e.g. microservices RPC), even with a valid token', async () => {
    const token = await issuer.sign();
    const rpc = contextOf('rpc', [{ headers: { authorization: `Bearer ${token}` } }, {}]);
    expect(await guard.canActivate(rpc)).toBe(false);
    expect(getAuthRequest(contextOf('kafka', []))).toBeUndefined();
  });

  it('answers a cached token with a plain boolean: no promise on the common path', async () => {
    const token = await issuer.sign({ sub: 'cached' });
    const request = () => ({ headers: { authorization: `Bearer ${token}` } }) as any;
    const first = guard.canActivate(contextOf('http', [request(), {}]));
    expect(first).toBeInstanceOf(Promise); // verified once
    await first;
    const again = request();
    expect(guard.canActivate(contextOf('http', [again, {}]))).toBe(true);
    expect(again.user.id).toBe('cached');
  });

  it('denies a GraphQL context without a request', async () => {
    const gql = contextOf('graphql', [{}, {}, {}, {}]);
    expect(await guard.canActivate(gql)).toBe(false);
  });

  it('denies a WebSocket context without a client', async () => {
    expect(await guard.canActivate(contextOf('ws', [undefined, {}]))).toBe(false);
  });

  it('reads a Fastify-style GraphQL context (request instead of req)', async () => {
    const token = await issuer.sign({ sub: 'fastify-gql' });
    const request: any = { headers: { authorization: `Bearer ${token}` } };
    await expect(guard.canActivate(contextOf('graphql', [{}, {}, { request }, {}]))).resolves.toBe(
      true,
    );
    expect(request.user.id).toBe('fastify-gql');
  });

  it('ownership denies an unknown context and a missing parameter', async () => {
    const user = { id: 'u', claims: {} };
    const http = contextOf('http', [{ user, params: {} }, {}]);
    expect(() => ownership.canActivate(http)).toThrow(/no ":userId" parameter/);
    const rpc = contextOf('rpc', [{}, {}]);
    expect(() => ownership.canActivate(rpc)).toThrow(/Authorization: Bearer/);
  });

  it('shows every guard and decorator the same caller, without adding anything to an HTTP request', () => {
    const request: Record<string | symbol, unknown> = { headers: {} };
    const user = { id: 'u', claims: {} };
    const first = getAuthRequest(contextOf('http', [request, {}]))!;
    first.user = user;
    expect(request.user).toBe(user);
    expect(getAuthRequest(contextOf('http', [request, {}]))!.user).toBe(user);
    expect(getAuthRequest(contextOf('http', [{ headers: {} }, {}]))!.user).toBeUndefined();
    // Only `user`: a property added to Node's request on every request is a slow path in V8.
    expect(Reflect.ownKeys(request)).toEqual(['headers', 'user']);
    const socket = { handshake: { headers: {} } };
    const ws = getAuthRequest(contextOf('ws', [socket, { a: 1 }]));
    expect(getAuthRequest(contextOf('ws', [socket, { b: 2 }]))).toBe(ws);
  });

  it('writes the headers of a refusal on Express and Fastify responses, never after they are sent', () => {
    const refusal = new TokenRejectedError('token_expired', 'Expired.');
    const express = { setHeader: jest.fn() };
    const thrown = getAuthRequest(contextOf('http', [{ headers: {} }, express]))!.fail(refusal);
    expect(thrown).toMatchObject({ status: 401, response: { code: 'token_expired' } });
    expect(express.setHeader).toHaveBeenCalledWith(
      'WWW-Authenticate',
      'Bearer error="invalid_token", error_description="The token expired"',
    );
    const fastify = { header: jest.fn() };
    getAuthRequest(contextOf('http', [{ headers: {} }, fastify]))!.fail(refusal);
    expect(fastify.header).toHaveBeenCalledWith('WWW-Authenticate', expect.any(String));
    for (const sent of [
      { setHeader: jest.fn(), headersSent: true },
      { header: jest.fn(), sent: true },
    ]) {
      getAuthRequest(contextOf('http', [{ headers: {} }, sent]))!.fail(refusal);
      expect(sent.setHeader ?? sent.header).not.toHaveBeenCalled();
    }
    expect(() => getAuthRequest(contextOf('http', [{ headers: {} }]))!.fail(refusal)).not.toThrow();
  });
});

describe('AuthModule.forRoot', () => {
  it('refuses unsafe options right away', () => {
    expect(() => AuthModule.forRoot({ issuer: 'http://x', algorithms: ['none' as never] })).toThrow(
      /AuthModule: algorithm "none" is refused/,
    );
  });

  it('is global by default, and not with isGlobal: false', () => {
    expect(AuthModule.forRoot({ issuer: 'http://x' }).global).toBe(true);
    expect(AuthModule.forRoot({ issuer: 'http://x', isGlobal: false }).global).toBe(false);
  });
});
