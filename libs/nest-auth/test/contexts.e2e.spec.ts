import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import { AuthModule, JwtAuthGuard, OwnershipGuard, TokenVerifier } from '../src';
import { getAuthCarrier, setResponseHeader } from '../src/execution-context.util';
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
    await expect(guard.canActivate(rpc)).resolves.toBe(false);
    expect(getAuthCarrier(contextOf('kafka', []))).toBeUndefined();
  });

  it('denies a GraphQL context without a request', async () => {
    const gql = contextOf('graphql', [{}, {}, {}, {}]);
    await expect(guard.canActivate(gql)).resolves.toBe(false);
  });

  it('denies a WebSocket context without a client', async () => {
    await expect(guard.canActivate(contextOf('ws', [undefined, {}]))).resolves.toBe(false);
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

  it('sets response headers on Express and Fastify responses, never after they are sent', () => {
    const express = { setHeader: jest.fn() };
    setResponseHeader(express, 'A', '1');
    expect(express.setHeader).toHaveBeenCalledWith('A', '1');
    const fastify = { header: jest.fn() };
    setResponseHeader(fastify, 'B', '2');
    expect(fastify.header).toHaveBeenCalledWith('B', '2');
    const sent = { setHeader: jest.fn(), headersSent: true };
    setResponseHeader(sent, 'C', '3');
    expect(sent.setHeader).not.toHaveBeenCalled();
    setResponseHeader(undefined, 'D', '4');
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
